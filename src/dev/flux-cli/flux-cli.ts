import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';
import { slipwayCacheDir } from '../cluster/index.js';
import { goMissingError, hasGo, runGoBuild } from '../go-build.js';

/** The upstream `flux` CLI release checked against Slipway's status. Change it here and in build-flux-cli.sh. */
export const FLUX_CLI_VERSION = 'v2.9.5';

const buildScript = fileURLToPath(new URL('./build-flux-cli.sh', import.meta.url));

/** Cache path of the CLI (it may not exist yet). */
export function fluxCliPath(cache = slipwayCacheDir()): string {
  return join(cache, 'bin', `flux-${FLUX_CLI_VERSION}`);
}

/**
 * The `flux` CLI at FLUX_CLI_VERSION, built once with `go build` (build-flux-cli.sh) when missing
 * from the cache. A cold build downloads some 300 modules and takes tens of minutes on a loaded
 * 2-core machine.
 */
export async function ensureFluxCli(options: { onProgress?: (line: string) => void } = {}): Promise<string> {
  const path = fluxCliPath();
  if (existsSync(path)) return path;
  const what = `the flux CLI ${FLUX_CLI_VERSION}`;
  if (!hasGo()) throw goMissingError(what);
  await runGoBuild({
    script: buildScript,
    name: 'build-flux-cli',
    what,
    failureCode: 'DEV_FLUX_CLI_BUILD',
    env: { FLUX_CLI_VERSION, SLIPWAY_CACHE: slipwayCacheDir() },
    onProgress: options.onProgress,
  });
  if (!existsSync(path))
    throw new SlipwayError('DEV_FLUX_CLI_BUILD', `the flux CLI build did not produce ${path}`);
  return path;
}
