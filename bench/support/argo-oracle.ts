// The Argo Rollouts oracles the differential benches compare against: small Go programs under bench/
// built once (bench/argo-replicas/build.sh) against the pinned argo-rollouts module from the Go module
// proxy, cached by the hash of their source, and fed JSON lines.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slipwayCacheDir } from '../../src/dev/cluster/index.js';
import { goMissingError, hasGo, runGoBuild } from '../../src/dev/go-build.js';
import { askGoReference } from '../../test/support/go-reference/go-reference.js';

/** Change it here, in bench/argo-replicas/build.sh and test/support/go-reference/replicas/build.sh together. */
export const ARGO_ROLLOUTS_VERSION = 'v1.10.1';

const benchDir = fileURLToPath(new URL('../', import.meta.url));

/** The cached binary of oracle `name` (`argo-validation`), built when missing. */
export async function ensureArgoOracle(name: string, what: string): Promise<string> {
  const hash = createHash('sha256')
    .update(readFileSync(join(benchDir, name, 'main.go')))
    .digest('hex')
    .slice(0, 12);
  const binary = join(slipwayCacheDir(), 'bin', `${name}-oracle-${ARGO_ROLLOUTS_VERSION}-${hash}`);
  if (existsSync(binary)) return binary;
  if (!hasGo()) throw goMissingError(what);
  console.log(`building ${what} against argo-rollouts ${ARGO_ROLLOUTS_VERSION} (once; a few minutes)`);
  await runGoBuild({
    script: join(benchDir, 'argo-replicas', 'build.sh'),
    name: `build-${name}-oracle`,
    what,
    failureCode: 'DEV_ARGO_ORACLE_BUILD',
    env: { ARGO_ROLLOUTS_VERSION, ORACLE: name, SLIPWAY_CACHE: slipwayCacheDir() },
    onProgress: (line) => console.log(`  ${line}`),
  });
  return binary;
}

/** One answer per case: the cases as JSON lines on stdin, the answers as JSON lines on stdout. */
export function askOracle<A>(oracle: string, cases: readonly unknown[]): A[] {
  return askGoReference<A>(oracle, cases, 'Argo oracle');
}
