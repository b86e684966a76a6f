import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';

/** Pinned versions of the local control plane. Change them here and in build-binaries.sh together. */
export const ControlPlaneVersions = {
  kubernetes: 'v1.36.3',
  etcd: 'v3.6.16',
  kwok: 'v0.8.0',
} as const;

export interface ControlPlaneBinaries {
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kwok: string;
  /** kwok Stage objects (node initialise/heartbeat, pod ready/complete/delete). */
  readonly kwokStages: string;
}

export function slipwayCacheDir(): string {
  return process.env.SLIPWAY_CACHE ?? join(homedir(), '.cache', 'slipway');
}

export function binaryPaths(cache = slipwayCacheDir()): ControlPlaneBinaries {
  const bin = join(cache, 'bin');
  const v = ControlPlaneVersions;
  return {
    etcd: join(bin, `etcd-${v.etcd}`),
    kubeApiserver: join(bin, `kube-apiserver-${v.kubernetes}`),
    kubeControllerManager: join(bin, `kube-controller-manager-${v.kubernetes}`),
    kubeScheduler: join(bin, `kube-scheduler-${v.kubernetes}`),
    kwok: join(bin, `kwok-${v.kwok}`),
    kwokStages: join(bin, `kwok-${v.kwok}-stages.yaml`),
  };
}

const buildScript = fileURLToPath(new URL('./build-binaries.sh', import.meta.url));

/**
 * Returns the cached binaries, building the missing ones with `go build` first (a few minutes, once).
 * Fails with a clear message when Go is not installed. `onProgress` receives the build's log lines.
 */
export async function ensureBinaries(onProgress?: (line: string) => void): Promise<ControlPlaneBinaries> {
  const paths = binaryPaths();
  if (Object.values(paths).every((p) => existsSync(p))) return paths;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).error) {
    throw new SlipwayError(
      'DEV_GO_MISSING',
      'go is required to build the local control plane (etcd, kube-apiserver, kwok); install Go 1.24 or newer and put it on PATH',
    );
  }
  const env = {
    ...process.env,
    K8S_VERSION: ControlPlaneVersions.kubernetes,
    ETCD_VERSION: ControlPlaneVersions.etcd,
    KWOK_VERSION: ControlPlaneVersions.kwok,
    SLIPWAY_CACHE: slipwayCacheDir(),
  };
  onProgress?.(
    'building the local control plane from source with go build (once; about 6 minutes on 2 cores)',
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [buildScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        // The build's own steps only; `go: downloading …` lines stay in the tail for error messages.
        if (line.startsWith('[build-binaries] ')) onProgress?.(line.slice('[build-binaries] '.length));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new SlipwayError(
              'DEV_BUILD_FAILED',
              `building the local control plane failed (exit ${code}); last output:\n${tail.join('\n')}`,
            ),
          ),
    );
  });
  return paths;
}
