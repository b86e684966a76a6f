/**
 * What a canary decision does to the world, as the named actions the machine returns on `PLAN` (the last
 * event of a reconcile): Services pointed at available pods, traffic routed, ReplicaSets scaled, analysis
 * runs terminated, deleted and created, old ReplicaSets pruned, and when to look again. Pure; the
 * executor runs the actions in its fixed order (strategies/actions.ts).
 */
import type { Experiment } from '../../experiments/index.js';
import type { KubeObject } from '../../kube/index.js';
import {
  type AnalysisRun,
  type RunRequest,
  runsToDelete,
  runsToTerminate,
} from '../analysis/analysis-runs.js';
import { planServiceSwitches } from '../controller/services.js';
import {
  type ClassifiedReplicaSets,
  type ReplicaSet,
  replicaSetsToPrune,
} from '../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL } from '../spec/pod-template-hash.js';
import type { EventIntent, RolloutAction } from '../strategies/actions.js';
import type { Rollout, RolloutStatus } from '../types.js';
import type { RolloutContext } from './machine.js';
import { pauseStepProgress } from './pause.js';
import { abortScaleDownWakeup, planRoutedOlderScaleDown, planScaling } from './scaling.js';
import { desiredCanaryScale } from './steps.js';
import type { TrafficPlan } from './traffic.js';

/** The observed world and the projected status the effects are planned from. */
export interface CanaryWorld {
  readonly rollout: Rollout;
  /** The status this decision writes. */
  readonly status: RolloutStatus;
  /** The ReplicaSets classified against the new status' stable hash. */
  readonly sets: ClassifiedReplicaSets;
  readonly replicaSets: readonly ReplicaSet[];
  readonly services: ReadonlyMap<string, KubeObject>;
  /** Events the observations imply (AnalysisRun phase changes), recorded after the machine's own. */
  readonly observedEvents: readonly EventIntent[];
  /** The experiment to create (named in status already) and the ones to terminate. */
  readonly createExperiment?: Experiment;
  readonly terminateExperiments?: readonly Experiment[];
  readonly deleteExperiments?: readonly Experiment[];
  /** Runs to create (named in status already, see run-plan.ts). */
  readonly createRuns: readonly RunRequest[];
  /** The runs the Rollout owns, and the ones the new status keeps (the rest are terminated). */
  readonly ownedRuns: readonly AnalysisRun[];
  readonly currentRuns: readonly AnalysisRun[];
  /** `spec.analysis` history limits. */
  readonly runHistoryLimits?: {
    readonly successfulRunHistoryLimit?: number;
    readonly unsuccessfulRunHistoryLimit?: number;
  };
  /** Present when a registered traffic router runs this Rollout. */
  readonly traffic?: TrafficPlan;
  /** When the progress deadline is due to be checked (ms since epoch), if it should be. */
  readonly progressDeadlineCheckAt?: number;
  readonly now: number;
}

function trafficActions(plan: TrafficPlan): RolloutAction[] {
  return [
    ...(plan.removeManagedRoutes ? [{ type: 'removeManagedRoutes' } as const] : []),
    ...plan.headerRoutes.map((params) => ({ type: 'setHeaderRoute', params }) as const),
    ...plan.mirrorRoutes.map((params) => ({ type: 'setMirrorRoute', params }) as const),
    { type: 'setTrafficWeight', params: plan.weight },
    ...(plan.event !== undefined ? [{ type: 'recordEvent', params: plan.event } as const] : []),
  ];
}

/** The next wake-up: a timed pause ending (strictly after its end), the progress deadline. */
function requeueAt(c: RolloutContext, w: CanaryWorld): number | undefined {
  const wakeups: number[] = [];
  const step = c.steps[c.stepIndex];
  if (step?.kind === 'pause') {
    const { expiresAt } = pauseStepProgress({
      durationSeconds: step.durationSeconds,
      pauseConditions: c.pauseConditions,
      controllerPause: c.controllerPause,
      now: w.now,
    });
    if (expiresAt !== undefined) wakeups.push(expiresAt + 5);
  }
  if (w.progressDeadlineCheckAt !== undefined) wakeups.push(w.progressDeadlineCheckAt);
  return wakeups.length > 0 ? Math.min(...wakeups) : undefined;
}

function historyLimits(w: CanaryWorld) {
  const limits = w.runHistoryLimits;
  return {
    ...(limits?.successfulRunHistoryLimit !== undefined && { successful: limits.successfulRunHistoryLimit }),
    ...(limits?.unsuccessfulRunHistoryLimit !== undefined && {
      unsuccessful: limits.unsuccessfulRunHistoryLimit,
    }),
  };
}

export function planCanaryActions(c: RolloutContext, w: CanaryWorld): RolloutAction[] {
  const { rollout, status } = w;
  const canary = rollout.spec?.strategy?.canary;
  const weight = desiredCanaryScale({ ...rollout, status }).weight;
  const lookup = (name: string) => w.services.get(name);
  const scaleDownAt = abortScaleDownWakeup(rollout, w.sets, weight, w.now);
  // what the Services select is still in use: an older ReplicaSet they point at is not scaled down
  const serviceHashes = new Set(
    [canary?.stableService, canary?.canaryService]
      .map((name) => (name ? lookup(name) : undefined))
      .map(
        (svc) =>
          (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector?.[
            POD_TEMPLATE_HASH_LABEL
          ],
      )
      .filter((h): h is string => h !== undefined && h !== ''),
  );
  const olderAt =
    canary?.trafficRouting !== undefined
      ? planRoutedOlderScaleDown(rollout, w.sets, w.now, serviceHashes).requeueAt
      : undefined;
  const at = [
    requeueAt(c, w),
    scaleDownAt === undefined ? undefined : scaleDownAt + 5,
    olderAt === undefined ? undefined : olderAt + 5,
  ]
    .filter((t): t is number => t !== undefined)
    .reduce<number | undefined>((a, b) => (a === undefined ? b : Math.min(a, b)), undefined);

  return [
    ...w.observedEvents.map((e) => ({ type: 'recordEvent', params: e }) as const),
    ...planServiceSwitches(canary, status, w.replicaSets, lookup).map(
      (s) => ({ type: 'pointService', params: s }) as const,
    ),
    ...(w.traffic !== undefined ? trafficActions(w.traffic) : []),
    ...(w.createExperiment !== undefined
      ? [{ type: 'createExperiment', params: w.createExperiment } as const]
      : []),
    ...(w.terminateExperiments ?? []).map((ex) => ({ type: 'terminateExperiment', params: ex }) as const),
    ...(w.deleteExperiments ?? []).map((ex) => ({ type: 'deleteExperiment', params: ex }) as const),
    ...planScaling(rollout, w.sets, weight, status.promoteFull === true, w.now, serviceHashes).map(
      (s) => ({ type: 'scaleReplicaSet', params: s }) as const,
    ),
    ...runsToTerminate(w.ownedRuns, w.currentRuns).map(
      (r) => ({ type: 'terminateAnalysisRun', params: r }) as const,
    ),
    ...runsToDelete(w.ownedRuns, w.currentRuns, historyLimits(w)).map(
      (r) => ({ type: 'deleteAnalysisRun', params: r }) as const,
    ),
    ...w.createRuns.map((r) => ({ type: 'createAnalysisRun', params: r }) as const),
    ...replicaSetsToPrune(w.sets, rollout.spec?.revisionHistoryLimit).map(
      (rs) => ({ type: 'deleteReplicaSet', params: rs }) as const,
    ),
    ...(at !== undefined ? [{ type: 'requeueAfter', params: { ms: Math.max(0, at - w.now) } } as const] : []),
  ];
}
