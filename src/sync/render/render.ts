import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { KubeObject } from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';
import type { ApplicationSource } from '../types.js';
import { renderDirectory } from './directory.js';
import { renderHelm } from './helm.js';
import { renderKustomize } from './kustomize.js';
import { DefaultRenderLimits, type RenderLimits } from './render-limits.js';
import { outOfBoundsSymlinkError, resolveInRepo, SymlinkAudit } from './repo-bounds.js';
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
  /** Default DefaultRenderLimits. */
  readonly limits?: RenderLimits;
  /** Remembers which checkouts were already searched for out-of-bounds symlinks. */
  readonly symlinks?: SymlinkAudit;
  /** Checkouts of `ref` sources by `$name` (multi-source apps), for Helm value files. */
  readonly refs?: ReadonlyMap<string, string>;
  /** How messages name the path. Default `source.path` (Flux builds from a copy named differently). */
  readonly label?: string;
}

export interface RenderedManifests {
  readonly sourceType: SourceType;
  readonly objects: readonly KubeObject[];
  /** Size of the manifests' text (files read, or tool output). */
  readonly bytes: number;
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

const defaultAudit = new SymlinkAudit();

/**
 * The app directory inside the checkout. Like Argo CD, an absolute path is refused and so is one that
 * leaves the repository through `..` or a symlink.
 */
async function appDirectory(root: string, path: string | undefined, label: string): Promise<string> {
  if (path && isAbsolute(path)) {
    throw new SyncError(SyncErrorCode.InvalidSpec, `${label}: app path is absolute`);
  }
  const r = await resolveInRepo(root, path ?? '.');
  if (r.kind === 'outside') {
    if (r.via === path) throw new SyncError(SyncErrorCode.InvalidSpec, `${label}: app path outside root`);
    throw outOfBoundsSymlinkError(r.via);
  }
  // The physically resolved directory: `link/..` means the link target's parent, as for the OS.
  const dir = r.kind === 'inside' && r.exists ? join(root, r.path) : undefined;
  if (!dir || !(await stat(dir)).isDirectory()) {
    throw new SyncError(SyncErrorCode.RenderFailed, `app path ${label} does not exist in the repository`);
  }
  return dir;
}

/**
 * Renders an Application's source from a checkout with the real tools. Throws a SyncError naming the
 * file or the tool's complaint; nothing is returned half-rendered. Repository content is untrusted:
 * a checkout holding a symlink out of it renders nothing, every path read must stay inside it, and
 * files and tool output are size-limited (`limits`).
 */
export async function renderSource(req: RenderRequest): Promise<RenderedManifests> {
  const root = await realpath(req.checkoutDir);
  const label = req.label ?? (req.source.path || '.');
  await (req.symlinks ?? defaultAudit).check(root);
  const appDir = await appDirectory(root, req.source.path, label);
  const limits = req.limits ?? DefaultRenderLimits;
  const sourceType = detectSourceType(appDir, req.source);
  switch (sourceType) {
    case 'Directory': {
      const options = {
        repoRoot: root,
        limits,
        ...(req.source.directory && { directory: req.source.directory }),
      };
      return { sourceType, ...(await renderDirectory(appDir, options)) };
    }
    case 'Kustomize': {
      const tools = await ensureRenderTools();
      const options = {
        repoRoot: root,
        limits,
        ...(req.source.kustomize && { kustomize: req.source.kustomize }),
      };
      return { sourceType, ...(await renderKustomize(tools.kustomize, appDir, options, label)) };
    }
    case 'Helm': {
      const tools = await ensureRenderTools();
      const output = await renderHelm(
        tools.helm,
        appDir,
        {
          releaseName: req.appName,
          namespace: req.namespace,
          homeDir: req.helmHome,
          repoRoot: root,
          limits,
          ...(req.source.helm && { helm: req.source.helm }),
          ...(req.refs && { refs: req.refs }),
        },
        label,
      );
      return { sourceType, ...output };
    }
  }
}
