// The Rollout controller's own API writes during a bench phase, by kind, the same way for every
// implementation. The API server's metrics count writes by resource and verb but not by client, so:
// - Rollouts (status and spec), ReplicaSets (create, update, patch, scale), Services, Istio routes,
//   AnalysisRuns and Experiments: only the Rollout controller writes them in this scenario (the bench's
//   own spec patches are subtracted; kube-controller-manager writes only replicasets/status);
// - Events: the API server's count includes kube-controller-manager's and the scheduler's, so the
//   controller's are counted by a watch on the namespace's Events about Rollouts (a new Event is a
//   create, a count bump a patch; both are writes).

import { type KubeClient, type KubeObject, Reflector } from '../../src/kube/index.js';
import type { ApiWrites } from '../apiserver-writes.js';

interface EventObject extends KubeObject {
  readonly involvedObject?: { readonly kind?: string };
  readonly reason?: string;
}

/** Counts Events about Rollouts written in a namespace from `start()` to `stop()`, by reason. */
export class RolloutEventCounter {
  readonly byReason: Record<string, number> = {};
  total = 0;
  private counting = false;
  private readonly reflector: Reflector<EventObject>;

  constructor(client: KubeClient, namespace: string) {
    this.reflector = new Reflector<EventObject>(client, {
      gvk: { apiVersion: 'v1', kind: 'Event' },
      namespace,
      // only what the counter reads
      transform: (e) => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: e.metadata.name,
          namespace: e.metadata.namespace,
          resourceVersion: e.metadata.resourceVersion,
        },
        ...(e.involvedObject?.kind !== undefined && { involvedObject: { kind: e.involvedObject.kind } }),
        ...(e.reason !== undefined && { reason: e.reason }),
      }),
    });
    this.reflector.onChange((e, prev) => {
      if (!this.counting || e === undefined || e.involvedObject?.kind !== 'Rollout') return;
      if (prev !== undefined && prev.metadata.resourceVersion === e.metadata.resourceVersion) return;
      this.total += 1;
      const reason = e.reason ?? '';
      this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    });
  }

  /** Starts the watch; counts only after `count()` (the initial list is not counted). */
  async start(): Promise<void> {
    this.reflector.start();
    await this.reflector.waitForSync();
  }

  count(on: boolean): void {
    this.counting = on;
  }

  stop(): Promise<void> {
    return this.reflector.stop();
  }
}

/** The controller's writes by kind during the update: total and per Rollout per step. */
export interface ControllerWrites {
  readonly total: number;
  readonly byKind: Record<string, number>;
  readonly perRolloutStep: Record<string, number>;
  readonly perRolloutStepTotal: number;
}

const CONTROLLER_RESOURCES: readonly [string, RegExp][] = [
  ['rollout status', /^(PUT|PATCH|APPLY) rollouts\/status$/],
  ['rollout spec/metadata', /^(PUT|PATCH|APPLY) rollouts$/],
  ['ReplicaSet create', /^POST replicasets$/],
  ['ReplicaSet update/patch', /^(PUT|PATCH|APPLY) replicasets$/],
  ['ReplicaSet scale', /^(PUT|PATCH) replicasets\/scale$/],
  ['ReplicaSet delete', /^DELETE replicasets$/],
  ['Service', /^(POST|PUT|PATCH|APPLY|DELETE) services$/],
  ['VirtualService', /virtualservices/],
  ['AnalysisRun', /analysisruns/],
  ['Experiment', /experiments/],
];

/**
 * `api`: the API server's writes during the phase; `benchPatches`: the bench's own Rollout patches;
 * `events`: the controller's Events counted by `RolloutEventCounter`; `steps`: steps per Rollout.
 */
export function controllerWrites(
  api: ApiWrites,
  events: Pick<RolloutEventCounter, 'total'>,
  n: number,
  steps: number,
  benchPatches: number,
): ControllerWrites {
  const byKind: Record<string, number> = {};
  for (const w of api.byResource) {
    const kind = CONTROLLER_RESOURCES.find(([, re]) => re.test(w.what))?.[0];
    if (kind !== undefined) byKind[kind] = (byKind[kind] ?? 0) + w.count;
  }
  const spec = (byKind['rollout spec/metadata'] ?? 0) - benchPatches;
  if (spec > 0) byKind['rollout spec/metadata'] = spec;
  else delete byKind['rollout spec/metadata'];
  byKind.Events = events.total;
  const total = Object.values(byKind).reduce((s, x) => s + x, 0);
  const per = (x: number) => Math.round((x / Math.max(1, n * steps)) * 100) / 100;
  return {
    total,
    byKind,
    perRolloutStep: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, per(v)])),
    perRolloutStepTotal: per(total),
  };
}
