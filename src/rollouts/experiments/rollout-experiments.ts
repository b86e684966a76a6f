/**
 * The Experiments a Rollout owns, seen from the Rollout (Argo Rollouts' rollout/experiment.go and
 * utils/experiment): which one is current (`status.canary.currentExperiment`), which must be terminated,
 * and the traffic an experiment step's weighted templates take (`calculateWeightDestinationsFromExperiment`
 * in rollout/trafficrouting.go). Pure.
 */
import type { Experiment } from '../../experiments/index.js';
import type { ObservedRun } from '../canary/context.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL } from '../spec/pod-template-hash.js';
import type { AdditionalDestination } from '../traffic/router.js';
import type { RolloutExperimentStep } from '../types.js';

const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

/** Argo's HasFinished: the phase is a completed analysis phase. */
export const hasExperimentFinished = (ex: Experiment): boolean => COMPLETED.has(ex.status?.phase ?? '');

/** The experiment as the canary machine observes it (a phase "" reads as Pending). */
export function observedExperiment(ex: Experiment): ObservedRun {
  return {
    name: ex.metadata.name ?? '',
    phase: (ex.status?.phase || 'Pending') as ObservedRun['phase'],
    ...(ex.status?.message && { message: ex.status.message }),
  };
}

/** Argo's GetCurrentExperiment: the owned experiment `status.canary.currentExperiment` names. */
export function findCurrentExperiment(
  experiments: readonly Experiment[],
  currentName: string | undefined,
): Experiment | undefined {
  if (currentName === undefined || currentName === '') return undefined;
  return experiments.find((ex) => ex.metadata.name === currentName);
}

/** Argo's cancelExperiments: every owned experiment but the kept one that is still running. */
export function experimentsToTerminate(
  experiments: readonly Experiment[],
  keep: string | undefined,
): Experiment[] {
  return experiments.filter(
    (ex) =>
      ex.metadata.name !== keep &&
      ex.spec?.terminate !== true &&
      !hasExperimentFinished(ex) &&
      ex.metadata.deletionTimestamp === undefined,
  );
}

/**
 * Argo's FilterExperimentsToDelete over the experiments that are not current: those without a pod-template
 * hash, whose ReplicaSet is gone or going, and the finished ones beyond the history limits (newest kept;
 * `spec.analysis.successfulRunHistoryLimit` / `unsuccessfulRunHistoryLimit`, 5 each by default).
 */
export function experimentsToDelete(
  others: readonly Experiment[],
  replicaSets: readonly ReplicaSet[],
  limits: { readonly successful?: number; readonly unsuccessful?: number },
): Experiment[] {
  const deleting = new Map<string, boolean>();
  for (const rs of replicaSets) {
    const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    if (hash !== undefined) deleting.set(hash, rs.metadata.deletionTimestamp !== undefined);
  }
  const newestFirst = others
    .filter((ex) => ex.metadata.deletionTimestamp === undefined)
    .sort(
      (a, b) =>
        (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
        (b.metadata.name ?? '').localeCompare(a.metadata.name ?? ''),
    );
  let successful = 0;
  let unsuccessful = 0;
  const out: Experiment[] = [];
  for (const ex of newestFirst) {
    const hash = ex.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    if (hash === undefined || deleting.get(hash) !== false) {
      out.push(ex);
      continue;
    }
    const phase = ex.status?.phase ?? '';
    if (phase === 'Successful') {
      if (successful < (limits.successful ?? 5)) successful++;
      else out.push(ex);
    } else if (phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive') {
      if (unsuccessful < (limits.unsuccessful ?? 5)) unsuccessful++;
      else out.push(ex);
    }
  }
  return out;
}

/**
 * The weighted templates of a running experiment as additional traffic destinations: each template with
 * a `weight` whose Service the Experiment reports (templateStatuses[].serviceName, podTemplateHash).
 */
export function experimentDestinations(
  step: RolloutExperimentStep | undefined,
  ex: Experiment | undefined,
): AdditionalDestination[] {
  if (step === undefined || ex === undefined || ex.status?.phase !== 'Running') return [];
  const out: AdditionalDestination[] = [];
  for (const ts of ex.status.templateStatuses ?? []) {
    const weight = step.templates.find((t) => t.name === ts.name)?.weight;
    if (weight === undefined || !ts.serviceName) continue;
    out.push({
      serviceName: ts.serviceName,
      ...(ts.podTemplateHash && { podTemplateHash: ts.podTemplateHash }),
      weight,
    });
  }
  return out;
}

/** Argo's message when an experiment step's experiment fails or errors (the abort message). */
export function experimentFailedMessage(message: string | undefined): string {
  const base = 'Experiment analysis phase is error/failed';
  return message ? `${base}: ${message}` : base;
}
