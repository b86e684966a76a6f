/**
 * The blue-green strategy's decision for one reconcile of a valid Rollout: observations become the
 * machine's events, the machine (XState's pure `transition()`) moves the pause, the active Service, the
 * abort and the promotion, the new status is projected (Argo's syncRolloutStatusBlueGreen: selectors,
 * counts of the active ReplicaSet, analysis references, conditions, phase), and a last `PLAN` event returns
 * the effects as named actions. Pure: no client, no clock.
 */
import { formatMetaLabelSelector, type KubeObject } from '../../kube/index.js';
import { observedRun } from '../analysis/analysis-runs.js';
import { selectedHash } from '../controller/services.js';
import {
  actualReplicas,
  availableReplicas,
  classifyReplicaSets,
  podHashOf,
  type ReplicaSet,
  readyReplicas,
  sumOf,
} from '../replica-sets/replica-sets.js';
import { isOlderReplicaSet } from '../replica-sets/revision-history.js';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../replica-sets/scale-down-delay.js';
import { POD_TEMPLATE_HASH_LABEL } from '../spec/pod-template-hash.js';
import { ConditionReason, getCondition, RolloutConditionType } from '../status/conditions.js';
import { withConditionsAndPhase } from '../status/conditions-and-phase.js';
import { isRollbackWithinWindow } from '../status/rollback-window.js';
import { progressDeadlineAt } from '../status/rollout-conditions.js';
import type { RolloutAction } from '../strategies/actions.js';
import type { RolloutDecision, RolloutObservation } from '../strategies/strategy.js';
import type { RolloutStatus } from '../types.js';
import { currentPromotionRun, planPromotionRuns, promotionRunEvents } from './analysis.js';
import type { BlueGreenContext, BlueGreenEvent } from './context.js';
import type { BlueGreenWorld } from './effects.js';
import { continueBlueGreenMachine, runBlueGreenMachine } from './machine.js';
import { isReadyForPause, isSaturated } from './replicas.js';

const hasHashSelector = (service: KubeObject | undefined) =>
  (service?.spec as { selector?: Record<string, string> } | undefined)?.selector?.[
    POD_TEMPLATE_HASH_LABEL
  ] !== undefined;

/** The new ReplicaSet still waits out a scale-down delay from an earlier promotion (Argo's newRSWithinDelay). */
function isWithinScaleDownDelay(rs: ReplicaSet, now: number): boolean {
  const at = Date.parse(rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] ?? '');
  return !Number.isNaN(at) && at > now;
}

export function decideBlueGreen(o: RolloutObservation): RolloutDecision {
  const { rollout, now } = o;
  const spec = rollout.spec ?? {};
  const prev = rollout.status ?? {};
  const blueGreen = spec.strategy?.blueGreen ?? {};
  const hash = o.currentPodHash;
  const sets = classifyReplicaSets(o.replicaSets, o.newRS, prev.stableRS);
  const specChanged = prev.currentPodHash !== hash;
  const activeService = o.services?.get(blueGreen.activeService ?? '');
  const previewService =
    blueGreen.previewService !== undefined && blueGreen.previewService !== ''
      ? o.services?.get(blueGreen.previewService)
      : undefined;
  const activeSelector = activeService !== undefined ? selectedHash(activeService) : '';

  // Argo's isRollback / isFastRollback / isRollbackWithinWindow
  const rollbackWithinWindow = isRollbackWithinWindow(
    spec.rollbackWindow,
    sets.newRS,
    sets.stableRS,
    o.replicaSets,
  );
  // older by creation time, or within the same second by the revisions served (revision-history.ts)
  const isRollback =
    sets.stableRS !== undefined && (prev.stableRS === hash || isOlderReplicaSet(o.newRS, sets.stableRS));
  const fastRollback =
    isRollback && (rollbackWithinWindow || isWithinScaleDownDelay(o.newRS, now) || prev.stableRS === hash);
  const cancelled =
    (prev.stableRS ?? '') === hash ||
    prev.abort === true ||
    prev.promoteFull === true ||
    fastRollback ||
    (prev.stableRS ?? '') === '';

  const current = specChanged
    ? {}
    : {
        pre: currentPromotionRun(rollout, o.runs, hash, 'pre'),
        post: currentPromotionRun(rollout, o.runs, hash, 'post'),
      };
  const runs = planPromotionRuns({
    rollout,
    newRS: o.newRS,
    revision: o.revision,
    cancelled,
    ...(prev.stableRS !== undefined && { stableHash: prev.stableRS }),
    current,
    owned: o.runs,
    inUse: o.runNamesInUse ?? new Set(o.runs.map((r) => r.metadata.name ?? '')),
  });
  const pause = (prev.pauseConditions ?? []).find((p) => p.reason === 'BlueGreenPause');
  const context: BlueGreenContext = {
    currentPodHash: hash,
    ...(prev.stableRS !== undefined && { stableRS: prev.stableRS }),
    hasStableRS: sets.stableRS !== undefined,
    revision: o.revision,
    pauseConditions: prev.pauseConditions ?? [],
    controllerPause: prev.controllerPause === true,
    abort: prev.abort === true,
    ...(prev.abortedAt !== undefined && { abortedAt: prev.abortedAt }),
    promoteFull: prev.promoteFull === true,
    specPaused: spec.paused === true,
    scaleUpPreviewCheckPoint: prev.blueGreen?.scaleUpPreviewCheckPoint === true,
    autoPromotionEnabled: blueGreen.autoPromotionEnabled !== false,
    autoPromotionSeconds: blueGreen.autoPromotionSeconds ?? 0,
    ...(blueGreen.previewReplicaCount !== undefined && {
      previewReplicaCount: blueGreen.previewReplicaCount,
    }),
    hasPrePromotionAnalysis: blueGreen.prePromotionAnalysis !== undefined,
    hasPostPromotionAnalysis: blueGreen.postPromotionAnalysis !== undefined,
    wasControllerPaused: prev.controllerPause === true,
    ...(pause !== undefined && { pauseStartedAt: pause.startTime }),
    now,
    activeSelector,
    activeHasHashSelector: hasHashSelector(activeService),
    readyForPause: false,
    saturated: false,
    newAvailable: 0,
    fastRollback,
    rollbackWithinWindow,
    analysisCancelled: cancelled,
    progressDeadlineExceeded:
      getCondition(prev.conditions, RolloutConditionType.Progressing)?.reason ===
      ConditionReason.ProgressDeadlineExceeded,
    progressDeadlineAbort: spec.progressDeadlineAbort === true,
    retried: false,
    pauseAdded: false,
    activeTarget: activeSelector,
  };

  const events: BlueGreenEvent[] = [];
  if (specChanged) events.push({ type: 'SPEC_CHANGED' });
  else {
    if (prev.promoteFull === true || rollbackWithinWindow)
      events.push({ type: 'PROMOTE_FULL', rollbackWithinWindow });
    if (prev.abort === true && prev.abortedAt === undefined) events.push({ type: 'ABORT' });
    if (prev.abort !== true && prev.abortedAt !== undefined) events.push({ type: 'RETRY' });
  }
  events.push({ type: 'TICK', now });
  events.push({
    type: 'REPLICAS',
    readyForPause: isReadyForPause(rollout, o.replicaSets, o.newRS),
    saturated: isSaturated(rollout, o.newRS),
    newAvailable: availableReplicas(o.newRS),
  });
  for (const kind of ['pre', 'post'] as const) {
    const run = runs.observed[kind];
    if (run !== undefined) events.push({ type: 'ANALYSIS', kind, run: observedRun(run) });
  }
  events.push({ type: 'RECONCILE', full: !specChanged });

  const run = runBlueGreenMachine(context, events);
  const result = run.snapshot.context;

  // ---- the new status (Argo's syncRolloutStatusBlueGreen) ----
  const previewTarget =
    previewService !== undefined && !specPausedOrInconclusive(prev, spec.paused) ? hash : '';
  const previewSelector = previewService !== undefined ? previewTarget || selectedHash(previewService) : '';
  const newActiveSelector = activeService !== undefined ? result.activeTarget || activeSelector : '';
  const all = o.replicaSets;
  const activeRS = all.find((rs) => podHashOf(rs) === newActiveSelector && newActiveSelector !== '');
  const base: RolloutStatus = {
    ...prev,
    observedGeneration: String(rollout.metadata?.generation ?? 0),
    currentPodHash: hash,
    pauseConditions: result.pauseConditions.length > 0 ? result.pauseConditions : undefined,
    controllerPause: result.controllerPause || undefined,
    abort: result.abort || undefined,
    abortedAt: result.abortedAt,
    promoteFull: result.promoteFull || undefined,
    stableRS: result.stableRS,
    replicas: sumOf(all, actualReplicas),
    updatedReplicas: actualReplicas(o.newRS),
    readyReplicas: activeRS !== undefined ? readyReplicas(activeRS) : sumOf(all, readyReplicas),
    availableReplicas: activeRS !== undefined ? availableReplicas(activeRS) : sumOf(all, availableReplicas),
    HPAReplicas: activeRS !== undefined ? actualReplicas(activeRS) : sumOf(all, actualReplicas),
    selector: formatMetaLabelSelector(activeRS?.spec?.selector ?? spec.selector ?? {}),
    blueGreen: {
      ...(previewSelector !== '' && { previewSelector }),
      ...(newActiveSelector !== '' && { activeSelector: newActiveSelector }),
      ...(result.scaleUpPreviewCheckPoint && { scaleUpPreviewCheckPoint: true }),
      ...(runs.refs.prePromotionAnalysisRunStatus !== undefined && {
        prePromotionAnalysisRunStatus: runs.refs.prePromotionAnalysisRunStatus,
      }),
      ...(runs.refs.postPromotionAnalysisRunStatus !== undefined && {
        postPromotionAnalysisRunStatus: runs.refs.postPromotionAnalysisRunStatus,
      }),
    },
  };
  const waitingForAnalysis = [current.pre, current.post].some(
    (r) =>
      r !== undefined && !['Successful', 'Failed', 'Error', 'Inconclusive'].includes(r.status?.phase ?? ''),
  );
  const status = withConditionsAndPhase({
    ...o,
    status: base,
    abortMessage: result.abortMessage,
    waitingForAnalysis,
  });
  const { conditions, phase } = status;

  // ---- effects ----
  const postSets = classifyReplicaSets(o.replicaSets, o.newRS, result.stableRS);
  const referenced = new Set(
    [
      status.stableRS,
      status.currentPodHash,
      newActiveSelector,
      previewSelector,
      activeService !== undefined ? selectedHash(activeService) : undefined,
      previewService !== undefined ? selectedHash(previewService) : undefined,
    ].filter((h): h is string => h !== undefined && h !== ''),
  );
  const holdOlder =
    (result.pauseConditions ?? []).some((p) => p.reason === 'InconclusiveAnalysisRun') ||
    (blueGreen.postPromotionAnalysis !== undefined &&
      blueGreen.scaleDownDelaySeconds === undefined &&
      prev.stableRS !== hash &&
      (prev.blueGreen?.activeSelector ?? '') === hash &&
      current.post?.status?.phase !== 'Successful');
  const progressing = getCondition(conditions, RolloutConditionType.Progressing);
  const deadline = progressDeadlineAt(spec, conditions);
  const limits = (
    spec as { analysis?: { successfulRunHistoryLimit?: number; unsuccessfulRunHistoryLimit?: number } }
  ).analysis;
  const world: BlueGreenWorld = {
    rollout,
    status,
    sets: postSets,
    replicaSets: o.replicaSets,
    ...(activeService !== undefined && { activeService }),
    ...(previewService !== undefined && { previewService }),
    previewTarget,
    referenced,
    holdOlder,
    specChanged,
    observedEvents: promotionRunEvents(prev.blueGreen, current),
    createRuns: runs.createRuns,
    ownedRuns: o.runs,
    liveRuns: runs.live,
    keptRuns: runs.kept,
    ...(limits !== undefined && {
      runHistoryLimits: {
        ...(limits.successfulRunHistoryLimit !== undefined && {
          successful: limits.successfulRunHistoryLimit,
        }),
        ...(limits.unsuccessfulRunHistoryLimit !== undefined && {
          unsuccessful: limits.unsuccessfulRunHistoryLimit,
        }),
      },
    }),
    ...(deadline !== undefined &&
      phase === 'Progressing' &&
      progressing?.reason !== ConditionReason.ProgressDeadlineExceeded &&
      !waitingForAnalysis && { progressDeadlineCheckAt: deadline + 1000 }),
    now,
  };
  const effects = continueBlueGreenMachine(run.snapshot, [{ type: 'PLAN', world }]);
  const actions: RolloutAction[] = [...run.actions, ...effects.actions];
  return { status, actions, machineEvents: events };
}

/** Argo's haltProgress over the status read: the preview Service is left alone while halted. */
function specPausedOrInconclusive(prev: RolloutStatus, paused: boolean | undefined): boolean {
  return paused === true || (prev.pauseConditions ?? []).some((p) => p.reason === 'InconclusiveAnalysisRun');
}
