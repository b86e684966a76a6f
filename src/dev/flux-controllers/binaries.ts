import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';
import { slipwayCacheDir } from '../cluster/index.js';
import { FluxCrdVersions } from '../flux-crds/index.js';
import { goMissingError, hasGo, runGoBuild } from '../go-build.js';

const buildScript = fileURLToPath(new URL('./build.sh', import.meta.url));

/** Flux's own controllers, built from the Go module proxy at the versions whose CRDs Slipway serves. */
export interface FluxControllerBinaries {
  /** github.com/fluxcd/source-controller (GitRepository; serves artifacts over HTTP). */
  readonly sourceController: string;
  /** github.com/fluxcd/kustomize-controller (Kustomization). */
  readonly kustomizeController: string;
}

export interface FluxControllerBinariesOptions {
  /** Receives the build's progress lines (a cold build takes many minutes). */
  readonly onProgress?: (line: string) => void;
}

/** Cache paths of the binaries (they may not exist yet). */
export function fluxControllerBinaryPaths(cache = slipwayCacheDir()): FluxControllerBinaries {
  const v = FluxCrdVersions;
  return {
    sourceController: join(cache, 'bin', `flux-source-controller-${v.sourceController}`),
    kustomizeController: join(cache, 'bin', `flux-kustomize-controller-${v.kustomizeController}`),
  };
}

/**
 * Flux's source-controller and kustomize-controller at `FluxCrdVersions`, built once with `go build`
 * (src/dev/flux-controllers/build.sh) when missing from the cache.
 */
export async function ensureFluxControllerBinaries(
  options: FluxControllerBinariesOptions = {},
): Promise<FluxControllerBinaries> {
  const paths = fluxControllerBinaryPaths();
  if (existsSync(paths.sourceController) && existsSync(paths.kustomizeController)) return paths;
  const what = `Flux's source-controller ${FluxCrdVersions.sourceController} and kustomize-controller ${FluxCrdVersions.kustomizeController}`;
  if (!hasGo()) throw goMissingError(what);
  options.onProgress?.(`building ${what} with go build (once; tens of minutes on a cold Go cache)`);
  await runGoBuild({
    script: buildScript,
    name: 'build-flux-controllers',
    what,
    failureCode: 'DEV_FLUX_CONTROLLERS_BUILD',
    env: {
      SOURCE_CONTROLLER_VERSION: FluxCrdVersions.sourceController,
      KUSTOMIZE_CONTROLLER_VERSION: FluxCrdVersions.kustomizeController,
      SLIPWAY_CACHE: slipwayCacheDir(),
    },
    onProgress: options.onProgress,
  });
  for (const path of [paths.sourceController, paths.kustomizeController])
    if (!existsSync(path))
      throw new SlipwayError(
        'DEV_FLUX_CONTROLLERS_BUILD',
        `the flux controllers build did not produce ${path}`,
      );
  return paths;
}
