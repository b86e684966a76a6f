import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';
import { slipwayCacheDir } from '../cluster/index.js';
import { goMissingError, hasGo, runGoBuild } from '../go-build.js';

/** The Argo Rollouts release run beside Slipway. Change it here and in build.sh together. */
export const ARGO_ROLLOUTS_VERSION = 'v1.10.1';

const buildScript = fileURLToPath(new URL('./build.sh', import.meta.url));

/** Argo Rollouts' own binaries, built from the Go module proxy. */
export interface ArgoRolloutsBinaries {
  /** The kubectl plugin (`kubectl-argo-rollouts`), runnable on its own with `--kubeconfig`. */
  readonly plugin: string;
  /** The controller (`cmd/rollouts-controller`). */
  readonly controller: string;
}

export interface ArgoRolloutsBinariesOptions {
  /** Receives the build's progress lines (a cold build takes minutes). */
  readonly onProgress?: (line: string) => void;
}

/** Cache paths of the binaries (they may not exist yet). */
export function argoRolloutsBinaryPaths(cache = slipwayCacheDir()): ArgoRolloutsBinaries {
  return {
    plugin: join(cache, 'bin', `kubectl-argo-rollouts-${ARGO_ROLLOUTS_VERSION}`),
    controller: join(cache, 'bin', `argo-rollouts-controller-${ARGO_ROLLOUTS_VERSION}`),
  };
}

/**
 * Argo Rollouts' kubectl plugin and controller at `ARGO_ROLLOUTS_VERSION`, built once with `go build`
 * (src/dev/argo-rollouts/build.sh) when missing from the cache.
 */
export async function ensureArgoRolloutsBinaries(
  options: ArgoRolloutsBinariesOptions = {},
): Promise<ArgoRolloutsBinaries> {
  const paths = argoRolloutsBinaryPaths();
  if (existsSync(paths.plugin) && existsSync(paths.controller)) return paths;
  const what = `Argo Rollouts ${ARGO_ROLLOUTS_VERSION} (its kubectl plugin and controller)`;
  if (!hasGo()) throw goMissingError(what);
  options.onProgress?.(`building ${what} with go build (once; several minutes on a cold Go cache)`);
  await runGoBuild({
    script: buildScript,
    name: 'build-argo-rollouts',
    what,
    failureCode: 'DEV_ARGO_ROLLOUTS_BUILD',
    env: { ARGO_ROLLOUTS_VERSION, SLIPWAY_CACHE: slipwayCacheDir() },
    onProgress: options.onProgress,
  });
  for (const path of [paths.plugin, paths.controller])
    if (!existsSync(path))
      throw new SlipwayError('DEV_ARGO_ROLLOUTS_BUILD', `the argo rollouts build did not produce ${path}`);
  return paths;
}
