import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { SyncError, SyncErrorCode } from '../errors.js';
import { runProcess } from '../run-process.js';
import type { KustomizeSource } from '../types.js';
import { scratchRoot } from '../workspace/index.js';
import { checkKustomizeInputs } from './kustomize-inputs.js';
import { hasKustomizeOverrides, kustomizeOverlay } from './kustomize-overlay.js';
import { parseManifestsYielding } from './parse-manifests.js';
import { type RenderLimits, type RenderOutput, renderTooLargeError } from './render-limits.js';
import { repoRelative } from './repo-bounds.js';
import { toolEnv } from './tool-env.js';

export interface KustomizeRenderOptions {
  /** Real path of the checkout: bases must resolve inside it. */
  readonly repoRoot: string;
  readonly limits: RenderLimits;
  readonly kustomize?: KustomizeSource;
}

/**
 * `kustomize build` of the app directory, with the Application's overrides as a generated overlay.
 * The kustomization graph is checked first (no remote or out-of-repository bases), kustomize keeps
 * its default root-only load restrictor, runs without network, and is killed past the render limit.
 */
export async function renderKustomize(
  kustomizeBin: string,
  appDir: string,
  renderOptions: KustomizeRenderOptions,
  label: string,
): Promise<RenderOutput> {
  const options = renderOptions.kustomize;
  const { repoRoot, limits } = renderOptions;
  await checkKustomizeInputs(repoRoot, repoRelative(repoRoot, appDir) ?? '', limits, label);
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
    const result = await runProcess(kustomizeBin, ['build', target], {
      env: toolEnv(),
      timeoutMs: 120_000,
      maxStdoutBytes: limits.maxRenderBytes,
    });
    if (result.stdoutOverflow) throw renderTooLargeError(`kustomize build ${label}`, limits);
    if (result.timedOut) {
      throw new SyncError(SyncErrorCode.RenderFailed, `kustomize build ${label} timed out after 120 s`);
    }
    if (result.code !== 0) {
      const why = result.stderr
        .trim()
        .replaceAll(appDir, '.')
        .replaceAll(overlayDir ?? '\u0000', '<overrides>');
      throw new SyncError(SyncErrorCode.RenderFailed, `kustomize build ${label} failed: ${why}`);
    }
    const objects = await parseManifestsYielding(result.stdout, `kustomize build ${label}`);
    return { objects, bytes: Buffer.byteLength(result.stdout) };
  } finally {
    if (overlayDir) await rm(overlayDir, { recursive: true, force: true });
  }
}
