import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';
import { runProcess } from '../run-process.js';
import type { KustomizeSource } from '../types.js';
import { scratchRoot } from '../workspace/index.js';
import { hasKustomizeOverrides, kustomizeOverlay } from './kustomize-overlay.js';
import { parseManifests } from './parse-manifests.js';

/** `kustomize build` of the app directory, with the Application's overrides as a generated overlay. */
export async function renderKustomize(
  kustomizeBin: string,
  appDir: string,
  options: KustomizeSource | undefined,
  label: string,
): Promise<KubeObject[]> {
  let target = appDir;
  let overlayDir: string | undefined;
  if (hasKustomizeOverrides(options)) {
    overlayDir = await mkdtemp(join(scratchRoot(), 'slipway-kustomize-'));
    await writeFile(
      join(overlayDir, 'kustomization.yaml'),
      stringify(kustomizeOverlay(resolve(appDir), options!)),
    );
    target = overlayDir;
  }
  try {
    const result = await runProcess(kustomizeBin, ['build', target], { timeoutMs: 120_000 });
    if (result.code !== 0) {
      const why = result.stderr
        .trim()
        .replaceAll(appDir, '.')
        .replaceAll(overlayDir ?? '\u0000', '<overrides>');
      throw new SyncError(SyncErrorCode.RenderFailed, `kustomize build ${label} failed: ${why}`);
    }
    return parseManifests(result.stdout, `kustomize build ${label}`);
  } finally {
    if (overlayDir) await rm(overlayDir, { recursive: true, force: true });
  }
}
