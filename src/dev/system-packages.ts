import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SlipwayError } from '../errors/index.js';

/** A program some tests run, from a Debian package. */
export interface SystemPackage {
  /** Where the program is expected (an `SLIPWAY_*` override already applied by the caller). */
  readonly path: string;
  /** The Debian package that installs it there. */
  readonly debian: string;
  /** What needs it, for the message when it cannot be installed. */
  readonly usedBy: string;
}

/**
 * Installs the missing packages with apt-get when this runs as root on a machine that has it (as
 * `.ci/run` does), so `npm test` needs no manual step; otherwise one `DEV_PREREQUISITES` error names
 * them all with the command to run.
 */
export function ensureSystemPackages(
  packages: readonly SystemPackage[],
  onProgress: (message: string) => void = () => undefined,
): void {
  const missing = packages.filter((p) => !existsSync(p.path));
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((p) => p.debian))];
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (canInstall) {
    onProgress(`installing ${names.join(', ')} with apt-get (once)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const install =
      update.status === 0
        ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
            env,
            stdio: ['ignore', 'ignore', 'inherit'],
          })
        : update;
    if (install.status === 0 && missing.every((p) => existsSync(p.path))) return;
  }
  throw new SlipwayError(
    'DEV_PREREQUISITES',
    `missing prerequisites; install them and run again:\n${missing
      .map((p) => `  - ${p.path} (apt-get install ${p.debian}), for ${p.usedBy}`)
      .join('\n')}`,
  );
}
