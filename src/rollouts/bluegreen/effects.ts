/**
 * What a blue-green decision does to the world, as the named actions the machine returns on `PLAN`: the
 * preview Service pointed at the new pods at once and the active Service at the hash the machine chose
 * (Argo's reconcilePreviewService / reconcileActiveService), ReplicaSets scaled (replicas.ts), analysis
 * runs terminated, deleted and created, old ReplicaSets pruned, and when to look again. Pure; the executor
 * runs the actions in its fixed order (strategies/actions.ts).
 */
import type { KubeObject } from '../../kube/index.js';
import {
  type AnalysisRun,
  type RunRequest,
  runsToDelete,
  runsToTerminate,
} from '../analysis/analysis-runs.js';
import { MANAGED_BY_ANNOTATION, selectedHash } from '../controller/services.js';
import {
  type ClassifiedReplicaSets,
  type ReplicaSet,
  replicaSetsToPrune,
} from '../replica-sets/replica-sets.js';
import type { EventIntent, RolloutAction, ServiceSwitch } from '../strategies/actions.js';
import type { Rollout, RolloutStatus } from '../types.js';
import type { BlueGreenContext } from './context.js';
import { autoPromotionAt } from './pause.js';
import { type BlueGreenScaling, planBlueGreenScaling } from './replicas.js';

export interface BlueGreenWorld {
  readonly rollout: Rollout;
  /** The status this decision writes. */
  readonly status: RolloutStatus;
  /** Classified against the new status' stable hash. */
  readonly sets: ClassifiedReplicaSets;
  readonly replicaSets: readonly ReplicaSet[];
  readonly activeService?: KubeObject;
  readonly previewService?: KubeObject;
  /** The hash the preview Service is to select ("" leaves it alone: progress is halted). */
  readonly previewTarget: string;
  /** Hashes status or a Service still reference. */
  readonly referenced: ReadonlySet<string>;
  readonly holdOlder: boolean;
  /** A new pod template: Argo only syncs status in this reconcile (ReplicaSets are reconciled on the next). */
  readonly specChanged: boolean;
  readonly observedEvents: readonly EventIntent[];
  readonly createRuns: readonly RunRequest[];
  readonly ownedRuns: readonly AnalysisRun[];
  /** Runs left running, and runs kept from garbage collection. */
  readonly liveRuns: readonly AnalysisRun[];
  readonly keptRuns: readonly AnalysisRun[];
  readonly runHistoryLimits?: { readonly successful?: number; readonly unsuccessful?: number };
  readonly progressDeadlineCheckAt?: number;
  readonly now: number;
}

/** A selector switch, or none when the Service is missing, already right and managed. */
function pointAt(service: KubeObject | undefined, hash: string): ServiceSwitch | undefined {
  if (service === undefined || hash === '') return undefined;
  const from = selectedHash(service);
  const managed = service.metadata.annotations?.[MANAGED_BY_ANNOTATION] !== undefined;
  return from === hash && managed ? undefined : { service, from, to: hash };
}

export function planBlueGreenActions(c: BlueGreenContext, w: BlueGreenWorld): RolloutAction[] {
  const planned = planBlueGreenScaling({
    rollout: w.rollout,
    status: w.status,
    sets: w.sets,
    replicaSets: w.replicaSets,
    referenced: w.referenced,
    holdOlder: w.holdOlder,
    now: w.now,
  });
  // after a new pod template Argo only sizes the new ReplicaSet (it creates it at its size) and leaves
  // everything else, scale-down deadlines included, to the next reconcile
  const scaling: BlueGreenScaling = w.specChanged
    ? {
        intents: planned.intents
          .filter((i) => i.replicaSet === w.sets.newRS && i.to !== i.from)
          .map(({ scaleDownDeadline: _, ...i }) => i),
      }
    : planned;
  const preview = pointAt(w.previewService, w.previewTarget);
  // the preview and active Services may be one object only in an invalid spec; never point it twice
  const active = pointAt(w.activeService, c.activeTarget);
  const wakeups = [autoPromotionAt(c), scaling.wakeAt, w.progressDeadlineCheckAt]
    .filter((t): t is number => t !== undefined)
    .map((t) => t + 5);
  const at = wakeups.length > 0 ? Math.min(...wakeups) : undefined;
  const kept = [...w.keptRuns, ...w.liveRuns];
  return [
    ...w.observedEvents.map((e) => ({ type: 'recordEvent', params: e }) as const),
    ...(preview !== undefined ? [{ type: 'pointService', params: preview } as const] : []),
    ...(active !== undefined ? [{ type: 'pointService', params: active } as const] : []),
    ...scaling.intents.map((s) => ({ type: 'scaleReplicaSet', params: s }) as const),
    ...runsToTerminate(w.ownedRuns, w.liveRuns).map(
      (r) => ({ type: 'terminateAnalysisRun', params: r }) as const,
    ),
    ...runsToDelete(w.ownedRuns, kept, w.runHistoryLimits ?? {}).map(
      (r) => ({ type: 'deleteAnalysisRun', params: r }) as const,
    ),
    ...w.createRuns.map((r) => ({ type: 'createAnalysisRun', params: r }) as const),
    ...replicaSetsToPrune(
      {
        ...w.sets,
        olderRSs: w.sets.olderRSs.filter(
          (rs) => !w.referenced.has(rs.metadata.labels?.['rollouts-pod-template-hash'] ?? ''),
        ),
      },
      w.rollout.spec?.revisionHistoryLimit,
    ).map((rs) => ({ type: 'deleteReplicaSet', params: rs }) as const),
    ...(at !== undefined ? [{ type: 'requeueAfter', params: { ms: Math.max(0, at - w.now) } } as const] : []),
  ];
}
