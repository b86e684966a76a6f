/**
 * The Experiments a Rollout owns, seen from the Rollout (Argo Rollouts' rollout/experiment.go and
 * utils/experiment): which one is current (`status.canary.currentExperiment`), which must be terminated,
 * and the traffic an experiment step's weighted templates take (`calculateWeightDestinationsFromExperiment`
 * in rollout/trafficrouting.go). Pure.
 */
import type { Experiment } from '../../experiments/index.js';
import type { ObservedRun } from '../canary/context.js';
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
