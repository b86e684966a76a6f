import { spawn, spawnSync } from 'node:child_process';
import { SlipwayError } from '../errors/index.js';

export interface GoBuildOptions {
  /** A script that sources go-build.sh (its log lines start with `[<name>] `). */
  readonly script: string;
  /** `BUILD_NAME` of the script: the prefix of its progress lines. */
  readonly name: string;
  /** What is built, for messages ("the local control plane (etcd, kube-apiserver, kwok)"). */
  readonly what: string;
  /** Error code of a failed build. */
  readonly failureCode: string;
  /** Versions and cache dir for the script. */
  readonly env: Readonly<Record<string, string>>;
  readonly onProgress?: ((line: string) => void) | undefined;
}

/** True when `go` can be run. */
export function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).error === undefined;
}

export function goMissingError(what: string, alternative = ''): SlipwayError {
  return new SlipwayError(
    'DEV_GO_MISSING',
    `go is required to build ${what}; install Go 1.24 or newer and put it on PATH${alternative}`,
  );
}

/**
 * Runs one of the `go build` scripts: progress lines (the script's own steps, not every `go:
 * downloading …`) go to `onProgress`; a failure carries the last 30 lines of output.
 */
export function runGoBuild(options: GoBuildOptions): Promise<void> {
  const prefix = `[${options.name}] `;
  return new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [options.script], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (line.startsWith(prefix)) options.onProgress?.(line.slice(prefix.length));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) =>
      reject(
        new SlipwayError(options.failureCode, `cannot run the build of ${options.what}`, { cause: err }),
      ),
    );
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else if (code === 3) reject(goMissingError(options.what));
      else
        reject(
          new SlipwayError(
            options.failureCode,
            `building ${options.what} failed (exit ${code}); last output:\n${tail.join('\n')}`,
          ),
        );
    });
  });
}
