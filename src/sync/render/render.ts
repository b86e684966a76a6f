import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { KubeObject } from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';
import type { ApplicationSource } from '../types.js';
import { renderDirectory } from './directory.js';
import { renderHelm } from './helm.js';
import { renderKustomize } from './kustomize.js';
import { ensureRenderTools } from './tools.js';

export type SourceType = 'Directory' | 'Kustomize' | 'Helm';

export interface RenderRequest {
  /** Root of the checked-out revision. */
  readonly checkoutDir: string;
  readonly source: ApplicationSource;
  readonly appName: string;
  readonly namespace: string;
  /** Helm's private home (cache, config). */
  readonly helmHome: string;
}

export interface RenderedManifests {
  readonly sourceType: SourceType;
  readonly objects: readonly KubeObject[];
}

/** The kind of source, as Argo CD detects it: explicit settings first, then the files present. */
export function detectSourceType(appDir: string, source: ApplicationSource): SourceType {
  if (source.helm) return 'Helm';
  if (source.kustomize) return 'Kustomize';
  if (source.directory) return 'Directory';
  if (['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) => existsSync(join(appDir, f)))) {
    return 'Kustomize';
  }
  if (existsSync(join(appDir, 'Chart.yaml'))) return 'Helm';
  return 'Directory';
}

/**
 * Renders an Application's source from a checkout with the real tools. Throws a SyncError naming the
 * file or the tool's complaint; nothing is returned half-rendered.
 */
export async function renderSource(req: RenderRequest): Promise<RenderedManifests> {
  const root = resolve(req.checkoutDir);
  const appDir = resolve(root, req.source.path ?? '.');
  const label = req.source.path || '.';
  if (relative(root, appDir).startsWith('..')) {
    throw new SyncError(SyncErrorCode.InvalidSpec, `path ${label} points outside the repository`);
  }
  if (!existsSync(appDir) || !statSync(appDir).isDirectory()) {
    throw new SyncError(SyncErrorCode.RenderFailed, `app path ${label} does not exist in the repository`);
  }
  const sourceType = detectSourceType(appDir, req.source);
  switch (sourceType) {
    case 'Directory':
      return { sourceType, objects: await renderDirectory(appDir, req.source.directory) };
    case 'Kustomize': {
      const tools = await ensureRenderTools();
      return {
        sourceType,
        objects: await renderKustomize(tools.kustomize, appDir, req.source.kustomize, label),
      };
    }
    case 'Helm': {
      const tools = await ensureRenderTools();
      const objects = await renderHelm(
        tools.helm,
        appDir,
        {
          releaseName: req.appName,
          namespace: req.namespace,
          homeDir: req.helmHome,
          ...(req.source.helm && { helm: req.source.helm }),
        },
        label,
      );
      return { sourceType, objects };
    }
  }
}
