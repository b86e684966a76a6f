import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SlipwayError } from '../errors/index.js';
import { binaryPaths } from './cluster/index.js';
import { builtPrometheusPath, SYSTEM_PROMETHEUS } from './prometheus/index.js';

/** What a local run (demo, tests) is about to need. */
export interface DevNeeds {
  /** The local control plane (always, for the demo and integration tests). */
  readonly cluster: boolean;
  /** A Prometheus; `override` is `SLIPWAY_PROMETHEUS_BIN` as given. */
  readonly prometheus?: { readonly override?: string | undefined };
  /** Binaries the caller builds itself with Go when they are missing (e.g. kustomize and helm). */
  readonly otherBuilds?: readonly { readonly what: string; readonly paths: readonly string[] }[];
}

const MIN_NODE: readonly [number, number] = [20, 10];
const MIN_GO: readonly [number, number] = [1, 24];

/** `major.minor` of a version string such as `v20.19.1` or `go1.26.8`, or undefined. */
export function majorMinor(text: string): [number, number] | undefined {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const atLeast = (v: readonly [number, number], min: readonly [number, number]) =>
  v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);

function toolVersion(cmd: string, args: readonly string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  return r.error || r.status !== 0 ? undefined : `${r.stdout}${r.stderr}`;
}

/**
 * Every prerequisite a local run lacks, one line each, checked before any long build starts: Node,
 * git, and Go when something has to be built (control plane, Prometheus without a system one, other
 * tools). Empty when all is there.
 */
export function missingPrerequisites(needs: DevNeeds, nodeVersion = process.version): string[] {
  const missing: string[] = [];
  const node = majorMinor(nodeVersion);
  if (node === undefined || !atLeast(node, MIN_NODE))
    missing.push(`Node.js ${MIN_NODE.join('.')} or newer (this is ${nodeVersion})`);
  if (toolVersion('git', ['--version']) === undefined)
    missing.push('git (apt-get install git): the sync loop and the demo use real Git repositories');
  const builds: string[] = [];
  if (needs.cluster && !Object.values(binaryPaths()).every((p) => existsSync(p)))
    builds.push('the local control plane (etcd, kube-apiserver, kwok)');
  if (needs.prometheus !== undefined && !hasPrometheus(needs.prometheus.override))
    builds.push('Prometheus (no system prometheus; or apt-get install prometheus)');
  for (const b of needs.otherBuilds ?? []) if (!b.paths.every((p) => existsSync(p))) builds.push(b.what);
  if (builds.length > 0) {
    const go = toolVersion('go', ['version']);
    const v = go === undefined ? undefined : majorMinor(go.replace(/^.*?go(\d)/, '$1'));
    if (v === undefined || !atLeast(v, MIN_GO))
      missing.push(
        `Go ${MIN_GO.join('.')} or newer${go === undefined ? '' : ` (found ${go.trim()})`}, to build once: ${builds.join('; ')}`,
      );
  }
  return missing;
}

function hasPrometheus(override: string | undefined): boolean {
  if (override !== undefined && override !== '' && existsSync(override)) return true;
  if ((override === undefined || override === '') && existsSync(SYSTEM_PROMETHEUS)) return true;
  return existsSync(builtPrometheusPath());
}

/** Throws one `DEV_PREREQUISITES` error listing everything missing. */
export function assertPrerequisites(needs: DevNeeds): void {
  const missing = missingPrerequisites(needs);
  if (missing.length === 0) return;
  throw new SlipwayError(
    'DEV_PREREQUISITES',
    `missing prerequisites; install them and run again:\n${missing.map((m) => `  - ${m}`).join('\n')}`,
  );
}
