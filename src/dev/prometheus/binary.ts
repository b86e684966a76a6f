import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';
import { slipwayCacheDir } from '../cluster/index.js';

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
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).error) throw goMissing();
  options.onProgress?.(
    `no system prometheus: building Prometheus ${PROMETHEUS_VERSION} with go build (once; a few minutes)`,
  );
  await runBuild(options.onProgress);
  if (!existsSync(built)) {
    throw new SlipwayError('DEV_PROMETHEUS_BUILD', `the prometheus build did not produce ${built}`);
  }
  return built;
}

const goMissing = () =>
  new SlipwayError(
    'DEV_GO_MISSING',
    'go is required to build Prometheus when no system prometheus is installed; install Go 1.24 or newer, or `apt-get install prometheus`',
  );

function runBuild(onProgress: ((line: string) => void) | undefined): Promise<void> {
  const env = { ...process.env, PROMETHEUS_VERSION, SLIPWAY_CACHE: slipwayCacheDir() };
  return new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [buildScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (line.startsWith('[build-prometheus] ')) onProgress?.(line.slice('[build-prometheus] '.length));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) =>
      reject(new SlipwayError('DEV_PROMETHEUS_BUILD', 'cannot run the prometheus build', { cause: err })),
    );
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else if (code === 3) reject(goMissing());
      else
        reject(
          new SlipwayError(
            'DEV_PROMETHEUS_BUILD',
            `building prometheus failed (exit ${code}):\n${tail.join('\n')}`,
          ),
        );
    });
  });
}
