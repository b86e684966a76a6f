import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyncError, SyncErrorCode } from '../errors.js';
import { runProcess } from '../run-process.js';

/** Pinned renderer versions. Change them here and in build-tools.sh together. */
export const RenderToolVersions = { kustomize: 'v5.8.2', helm: 'v4.3.1' } as const;

export interface RenderTools {
  readonly kustomize: string;
  readonly helm: string;
}

function cacheDir(): string {
  return process.env.SLIPWAY_CACHE ?? join(homedir(), '.cache', 'slipway');
}

/** Where the binaries live; `SLIPWAY_KUSTOMIZE` / `SLIPWAY_HELM` override (a system install). */
export function renderToolPaths(): RenderTools {
  const bin = join(cacheDir(), 'bin');
  return {
    kustomize: process.env.SLIPWAY_KUSTOMIZE ?? join(bin, `kustomize-${RenderToolVersions.kustomize}`),
    helm: process.env.SLIPWAY_HELM ?? join(bin, `helm-${RenderToolVersions.helm}`),
  };
}

const buildScript = fileURLToPath(new URL('./build-tools.sh', import.meta.url));
let building: Promise<RenderTools> | undefined;

/**
 * Returns the kustomize and helm binaries, building the missing ones from the Go module proxy first
 * (a few minutes, once; cached under $SLIPWAY_CACHE/bin). Fails with a clear message without Go.
 */
export function ensureRenderTools(): Promise<RenderTools> {
  const paths = renderToolPaths();
  if (existsSync(paths.kustomize) && existsSync(paths.helm)) return Promise.resolve(paths);
  building ??= build(paths).finally(() => {
    building = undefined;
  });
  return building;
}

async function build(paths: RenderTools): Promise<RenderTools> {
  const result = await runProcess('bash', [buildScript], {
    env: {
      ...process.env,
      KUSTOMIZE_VERSION: RenderToolVersions.kustomize,
      HELM_VERSION: RenderToolVersions.helm,
      SLIPWAY_CACHE: cacheDir(),
    },
    timeoutMs: 30 * 60_000,
  }).catch((err: unknown) => {
    throw new SyncError(SyncErrorCode.ToolMissing, 'cannot run bash to build kustomize and helm', {
      cause: err,
    });
  });
  if (result.code !== 0) {
    const tail = result.stderr.split('\n').slice(-15).join('\n');
    throw new SyncError(
      SyncErrorCode.ToolMissing,
      `building kustomize and helm failed (exit ${result.code}); install Go 1.24+ or set SLIPWAY_KUSTOMIZE/SLIPWAY_HELM:\n${tail}`,
    );
  }
  return paths;
}
