import { groupOf, type KubeObject } from '../../kube/index.js';
import { hookTypes, resourceSyncOptions, type SyncOptions, syncWave } from '../operation/index.js';
import type { Operation, SyncPhase } from '../types.js';
import type { Comparison } from './comparison.js';
import { resourceKey } from './tracking.js';

export type TaskKind = 'apply' | 'hook' | 'prune';

export interface SyncTask {
  readonly kind: TaskKind;
  readonly phase: SyncPhase;
  readonly wave: number;
  readonly obj: KubeObject;
  /** Result identity: resource key + phase. */
  readonly id: string;
  readonly live?: KubeObject;
  readonly dryRunError?: string;
}

function selected(op: Operation, obj: KubeObject): boolean {
  const only = op.sync?.resources;
  if (!only || only.length === 0) return true;
  const group = groupOf(obj.apiVersion);
  return only.some(
    (r) =>
      (r.group ?? '') === group &&
      r.kind === obj.kind &&
      r.name === obj.metadata.name &&
      (!r.namespace || r.namespace === obj.metadata.namespace),
  );
}

/**
 * What a sync operation does, as tasks: hooks in their phases, out-of-sync resources in the Sync
 * phase (objects that did not drift are skipped), prunes last in the Sync phase. SyncFail hooks are
 * returned separately; they run only when the sync fails.
 */
export function planSync(
  comparison: Comparison,
  op: Operation,
  options: SyncOptions,
): { tasks: SyncTask[]; syncFail: SyncTask[] } {
  const tasks: SyncTask[] = [];
  const syncFail: SyncTask[] = [];
  for (const h of comparison.hooks) {
    if (!selected(op, h)) continue;
    for (const t of hookTypes(h)) {
      if (t === 'Skip') continue;
      const task: SyncTask = {
        kind: 'hook',
        phase: t,
        wave: syncWave(h),
        obj: h,
        id: `${resourceKey(h)}|${t}`,
      };
      (t === 'SyncFail' ? syncFail : tasks).push(task);
    }
  }
  let lastWave = 0;
  for (const r of comparison.resources) {
    if (r.desired) lastWave = Math.max(lastWave, r.wave);
  }
  const prune = op.sync?.prune === true;
  for (const r of comparison.resources) {
    const obj = r.desired ?? r.live;
    if (!obj || !selected(op, obj)) continue;
    if (r.desired) {
      if (r.status === 'Synced') continue;
      tasks.push({
        kind: 'apply',
        phase: 'Sync',
        wave: r.wave,
        obj: r.desired,
        id: `${r.key}|Sync`,
        ...(r.live && { live: r.live }),
        ...(r.dryRunError && { dryRunError: r.dryRunError }),
      });
    } else if (r.requiresPruning && r.live?.kind && prune) {
      const pruneLast =
        options.pruneLast || resourceSyncOptions(r.live.metadata.annotations).get('PruneLast') === 'true';
      // Prunes run after the resources of their wave are applied (PruneLast: after the last wave).
      tasks.push({
        kind: 'prune',
        phase: 'Sync',
        wave: pruneLast ? lastWave + 1 : r.wave,
        obj: r.live,
        id: `${r.key}|Sync`,
        live: r.live,
      });
    }
  }
  return { tasks, syncFail };
}
