import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';
import { slipwayCacheDir } from '../cluster/index.js';
import { goMissingError, hasGo, runGoBuild } from '../go-build.js';

/** Prometheus 3.7.3 (its Go module is versioned v0.3MM.P). Change it here and in build-prometheus.sh together. */
export const PROMETHEUS_VERSION = 'v0.307.3';

/** Where Debian's `prometheus` package puts the binary. */
export const SYSTEM_PROMETHEUS = '/usr/bin/prometheus';

const buildScript = fileURLToPath(new URL('./build-prometheus.sh', import.meta.url));

export interface PrometheusBinaryOptions {
  /** `SLIPWAY_PROMETHEUS_BIN`: an explicit binary; a path that does not exist means "no system Prometheus". */
  readonly override?: string | undefined;
  /** Receives the build's progress lines. */
  readonly onProgress?: (line: string) => void;
}

/** The built binary's cache path (it may not exist yet). */
export function builtPrometheusPath(cache = slipwayCacheDir()): string {
  return join(cache, 'bin', `prometheus-${PROMETHEUS_VERSION}`);
}

/**
 * The Prometheus to run: the override when it exists; else the system one (unless an override was given,
 * which then stands for "not installed"); else the one built from the Go module proxy into the cache,
 * building it first (once, a few minutes) when missing.
 */
export async function ensurePrometheusBinary(options: PrometheusBinaryOptions = {}): Promise<string> {
  const { override } = options;
  if (override !== undefined && override !== '' && existsSync(override)) return override;
  if ((override === undefined || override === '') && existsSync(SYSTEM_PROMETHEUS)) return SYSTEM_PROMETHEUS;
  const built = builtPrometheusPath();
  if (existsSync(built)) return built;
  const what = 'Prometheus (no system prometheus is installed)';
  if (!hasGo()) throw goMissingError(what, ', or apt-get install prometheus');
  options.onProgress?.(
    `no system prometheus: building Prometheus ${PROMETHEUS_VERSION} with go build (once; a few minutes)`,
  );
  await runGoBuild({
    script: buildScript,
    name: 'build-prometheus',
    what,
    failureCode: 'DEV_PROMETHEUS_BUILD',
    env: { PROMETHEUS_VERSION, SLIPWAY_CACHE: slipwayCacheDir() },
    onProgress: options.onProgress,
  });
  if (!existsSync(built)) {
    throw new SlipwayError('DEV_PROMETHEUS_BUILD', `the prometheus build did not produce ${built}`);
  }
  return built;
}
