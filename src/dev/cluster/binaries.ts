import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goMissingError, hasGo, runGoBuild } from '../go-build.js';

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
  const what = 'the local control plane (etcd, kube-apiserver, kwok)';
  if (!hasGo()) throw goMissingError(what);
  onProgress?.(
    'building the local control plane from source with go build (once; about 6 minutes on 2 cores)',
  );
  await runGoBuild({
    script: buildScript,
    name: 'build-binaries',
    what,
    failureCode: 'DEV_BUILD_FAILED',
    env: {
      K8S_VERSION: ControlPlaneVersions.kubernetes,
      ETCD_VERSION: ControlPlaneVersions.etcd,
      KWOK_VERSION: ControlPlaneVersions.kwok,
      SLIPWAY_CACHE: slipwayCacheDir(),
    },
    onProgress,
  });
  return paths;
}
