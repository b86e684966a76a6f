import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { slipwayCacheDir } from './binaries.js';
import {
  type ClusterState,
  LocalCluster,
  type LocalClusterOptions,
  stopClusterState,
} from './local-cluster.js';
import { isAlive } from './processes.js';

/** The long-lived local cluster behind `slipway dev cluster up|down` (and the demo). */
const statePath = () => join(slipwayCacheDir(), 'dev-cluster.json');

export function readDevClusterState(): ClusterState | undefined {
  if (!existsSync(statePath())) return undefined;
  try {
    const state = JSON.parse(readFileSync(statePath(), 'utf8')) as ClusterState;
    const apiserver = state.processes.find((p) => p.name === 'kube-apiserver');
    if (apiserver && isAlive(apiserver.pid) && existsSync(state.kubeconfigPath)) return state;
  } catch {
    /* fall through: stale or unreadable */
  }
  return undefined;
}

/** Starts the dev cluster unless one is already running; its processes outlive this process. */
export async function devClusterUp(
  options: LocalClusterOptions = {},
): Promise<{ state: ClusterState; reused: boolean }> {
  const existing = readDevClusterState();
  if (existing) return { state: existing, reused: true };
  await devClusterDown();
  const cluster = await LocalCluster.start(options);
  const state = cluster.state(null);
  mkdirSync(slipwayCacheDir(), { recursive: true });
  writeFileSync(statePath(), JSON.stringify(state, null, 2));
  return { state, reused: false };
}

/** Stops the dev cluster (every process) and removes its files. Returns false when none was recorded. */
export async function devClusterDown(): Promise<boolean> {
  if (!existsSync(statePath())) return false;
  try {
    await stopClusterState(JSON.parse(readFileSync(statePath(), 'utf8')) as ClusterState);
  } finally {
    rmSync(statePath(), { force: true });
  }
  return true;
}
