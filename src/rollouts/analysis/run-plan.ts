/**
 * Which AnalysisRuns a Rollout decision keeps and creates, and their names. A run to create is named
 * in status before it exists (status is written before acting), so a process killed between the
 * create and the next status write finds it again by that name instead of starting a ".1" twin; the
 * name is reused while the step (or the background analysis) is the same. Pure.
 */

import type { StepModel } from '../canary/steps.js';
import type { AnalysisRunStatusRef, CanaryStatus, RolloutAnalysis } from '../types.js';
import { type AnalysisRun, plannedRunName, type RunRequest, runBaseName } from './analysis-runs.js';

export interface RunPlanInput {
  readonly rolloutName: string;
  readonly podHash: string;
  readonly stableHash: string | undefined;
  readonly revision: number;
  /** The step the decision ends on, and whether it is the step status was at (same hash, no abort change). */
  readonly step: StepModel | undefined;
  readonly stepIndex: number;
  readonly isSameStep: boolean;
  readonly isSameAttempt: boolean;
  readonly aborted: boolean;
  /** The current step run when status references it (kept), else undefined. */
  readonly stepRun: AnalysisRun | undefined;
  readonly background: RolloutAnalysis | undefined;
  readonly backgroundRun: AnalysisRun | undefined;
  /** What the previous status names. */
  readonly previous: CanaryStatus | undefined;
  readonly owned: readonly AnalysisRun[];
  readonly inUse: ReadonlySet<string>;
}

export interface RunPlan {
  readonly createRuns: readonly RunRequest[];
  readonly current: readonly AnalysisRun[];
  /** The status references of the runs to create. */
  readonly planned: Pick<CanaryStatus, 'currentStepAnalysisRunStatus' | 'currentBackgroundAnalysisRunStatus'>;
}

export function planRuns(i: RunPlanInput): RunPlan {
  const createRuns: RunRequest[] = [];
  const current: AnalysisRun[] = [];
  const planned: {
    currentStepAnalysisRunStatus?: AnalysisRunStatusRef;
    currentBackgroundAnalysisRunStatus?: AnalysisRunStatusRef;
  } = {};
  const common = {
    podHash: i.podHash,
    ...(i.stableHash !== undefined && { stableHash: i.stableHash }),
    revision: i.revision,
  };
  if (i.step?.kind === 'analysis' && !i.aborted) {
    if (i.stepRun !== undefined) current.push(i.stepRun);
    else {
      const name = plannedRunName(
        runBaseName(i.rolloutName, i.podHash, i.revision, i.stepIndex),
        i.isSameStep ? i.previous?.currentStepAnalysisRunStatus?.name : undefined,
        i.owned,
        i.inUse,
      );
      planned.currentStepAnalysisRunStatus = { name, status: '' };
      createRuns.push({ type: 'Step', analysis: i.step.analysis, stepIndex: i.stepIndex, ...common, name });
    }
  }
  if (i.background !== undefined) {
    if (i.backgroundRun !== undefined) current.push(i.backgroundRun);
    else {
      const name = plannedRunName(
        runBaseName(i.rolloutName, i.podHash, i.revision),
        i.isSameAttempt ? i.previous?.currentBackgroundAnalysisRunStatus?.name : undefined,
        i.owned,
        i.inUse,
      );
      planned.currentBackgroundAnalysisRunStatus = { name, status: '' };
      createRuns.push({ type: 'Background', analysis: i.background, ...common, name });
    }
  }
  return { createRuns, current, planned };
}
