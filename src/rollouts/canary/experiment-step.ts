/**
 * The canary `experiment` step after the machine moved (Argo Rollouts' reconcileExperiments in
 * rollout/experiment.go): which experiment status names as current, the one to create (named in that
 * status before it is created, so a restart finds it), the ones to terminate (leaving the step, an abort, a
 * full promotion, a new revision), and the traffic a running experiment's weighted templates take. Pure.
 *
 * Differences from Argo, both to keep one experiment per step attempt: an inconclusive experiment stays
 * current while the Rollout is paused on it (Argo forgets it and creates another on the next reconcile),
 * and a promote past that pause completes the step, as for an inconclusive step analysis.
 */
import type { Experiment } from '../../experiments/index.js';
import {
  buildExperiment,
  experimentBaseName,
  freeExperimentName,
} from '../experiments/experiment-from-step.js';
import {
  experimentDestinations,
  experimentsToDelete,
  experimentsToTerminate,
} from '../experiments/rollout-experiments.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import type { EventIntent } from '../strategies/actions.js';
import type { AdditionalDestination } from '../traffic/router.js';
import type { CanaryStep, Rollout, RolloutExperimentStep } from '../types.js';

export interface ExperimentStepInput {
  readonly rollout: Rollout;
  /** The step index before and after this decision, and whether the pod template or steps changed. */
  readonly previousIndex: number;
  readonly stepIndex: number;
  readonly specChanged: boolean;
  /** The Rollout is aborted, fully promoting or rolling back within its window: no experiment runs. */
  readonly inactive: boolean;
  /** `status.canary.currentExperiment` as last written. */
  readonly previousName?: string;
  /** The experiment that name refers to, when it exists (and the spec did not change). */
  readonly current?: Experiment;
  /** Every experiment the Rollout owns. */
  readonly owned: readonly Experiment[];
  /** Names of every Experiment in the namespace (a new experiment's name must be free). */
  readonly namesInUse: ReadonlySet<string>;
  readonly stableRS?: ReplicaSet;
  readonly newRS: ReplicaSet;
  /** Every ReplicaSet the Rollout owns (an experiment whose ReplicaSet is gone is deleted). */
  readonly replicaSets: readonly ReplicaSet[];
  /** `spec.analysis` history limits, which Argo applies to experiments too. */
  readonly historyLimits?: { readonly successful?: number; readonly unsuccessful?: number };
  readonly podHash: string;
  readonly revision: number;
}

export interface ExperimentStepPlan {
  /** `status.canary.currentExperiment` to write (undefined clears it). */
  readonly currentName?: string;
  readonly create?: Experiment;
  readonly terminate: readonly Experiment[];
  readonly delete: readonly Experiment[];
  /** Additional traffic destinations (a running experiment's weighted templates). */
  readonly destinations: readonly AdditionalDestination[];
  /** A Warning when the experiment cannot be built. */
  readonly event?: EventIntent;
}

const experimentStepAt = (steps: readonly CanaryStep[], index: number) => steps[index]?.experiment;

/** Argo's GetCurrentExperimentStep: the last experiment step at or before `index`. */
function experimentStepUpTo(steps: readonly CanaryStep[], index: number): RolloutExperimentStep | undefined {
  if (index >= steps.length) return undefined;
  for (let i = index; i >= 0; i--) {
    const step = steps[i]?.experiment;
    if (step !== undefined) return step;
  }
  return undefined;
}

const FAILED = new Set(['Failed', 'Error']);

export function planExperimentStep(i: ExperimentStepInput): ExperimentStepPlan {
  const steps = i.rollout.spec?.strategy?.canary?.steps ?? [];
  const step = experimentStepAt(steps, i.stepIndex);
  const sameStep = !i.specChanged && i.stepIndex === i.previousIndex;
  const destinations = i.specChanged
    ? []
    : experimentDestinations(experimentStepUpTo(steps, i.previousIndex), i.current);
  let currentName: string | undefined;
  let create: Experiment | undefined;
  let event: EventIntent | undefined;
  if (step !== undefined && !i.inactive) {
    const phase = i.current?.status?.phase ?? '';
    if (sameStep && i.current !== undefined && !FAILED.has(phase)) {
      currentName = i.current.metadata.name;
    } else if (i.stableRS !== undefined && !(sameStep && i.current !== undefined)) {
      // named in status but not seen yet (just created, or a crash before the create): the same name,
      // unless something the Rollout does not own took it meanwhile
      const previous = i.previousName;
      const taken =
        previous !== undefined &&
        i.namesInUse.has(previous) &&
        !i.owned.some((ex) => ex.metadata.name === previous);
      const name =
        sameStep && previous && !taken
          ? previous
          : freeExperimentName(
              experimentBaseName(i.rollout.metadata?.name ?? '', i.podHash, i.revision, i.stepIndex),
              i.namesInUse,
            );
      const built = buildExperiment({
        rollout: i.rollout,
        step,
        stepIndex: i.stepIndex,
        podHash: i.podHash,
        revision: i.revision,
        stableRS: i.stableRS,
        newRS: i.newRS,
        name,
      });
      if (built.ok) {
        currentName = name;
        create = built.experiment;
      } else {
        event = { type: 'event', eventType: 'Warning', reason: 'ExperimentError', message: built.message };
      }
    }
  }
  const kept = i.owned.find((ex) => ex.metadata.name === currentName);
  return {
    ...(currentName !== undefined && { currentName }),
    // an existing experiment (the cache may lag behind our create) is not created again
    ...(create !== undefined && kept === undefined && { create }),
    terminate: experimentsToTerminate(i.owned, currentName),
    delete: experimentsToDelete(
      i.owned.filter((ex) => ex.metadata.name !== currentName),
      i.replicaSets,
      i.historyLimits ?? {},
    ),
    destinations,
    ...(event !== undefined && { event }),
  };
}
