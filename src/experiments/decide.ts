/**
 * The Experiment decision: from the Experiment and what it owns (ReplicaSets and Services by template,
 * AnalysisRuns by name) to the status to write, the actions to run, the events to record and when to
 * look again. Argo's experimentContext.reconcile as one pure function: templates, then analyses, then
 * the phase, then conditions. API failures of a first attempt come back in `failures` and end up in the
 * template or analysis status, as Argo reports them.
 */

import type { TemplateLookup } from '../analysis/index.js';
import { findCondition, toKubeTime } from '../core/index.js';
import type { KubeObject } from '../kube/index.js';
import type { AnalysisRun, ReplicaSet } from '../rollouts/index.js';
import type { ActionFailures, ExperimentAction, ExperimentEvent } from './actions.js';
import { reconcileAnalysis } from './analysis-runs.js';
import {
  ExperimentConditionType,
  experimentConditions,
  experimentSpecProblem,
  withInvalidSpec,
} from './conditions.js';
import { calculatePhase, hasPassedDuration, isTerminating, nextWakeAt } from './phase.js';
import { reconcileTemplate } from './template-status.js';
import type {
  Experiment,
  ExperimentAnalysisRunStatus,
  ExperimentStatus,
  ExperimentTemplateStatus,
} from './types.js';

export interface ExperimentObservation {
  readonly experiment: Experiment;
  /** The ReplicaSet of each template, by template name. */
  readonly replicaSets: ReadonlyMap<string, ReplicaSet>;
  /** The Service of each template, by template name. */
  readonly services: ReadonlyMap<string, KubeObject>;
  /** AnalysisRuns the experiment owns, by name. */
  readonly runs: ReadonlyMap<string, AnalysisRun>;
  /** Every AnalysisRun name taken in the namespace (a new run's name avoids them). */
  readonly runNamesInUse: ReadonlySet<string>;
  readonly templates: TemplateLookup;
  /** Epoch ms. */
  readonly now: number;
  /** Failed actions of a first attempt in this reconcile (see `failureKey`). */
  readonly failures?: ActionFailures;
}

export interface ExperimentDecision {
  readonly status: ExperimentStatus;
  readonly actions: readonly ExperimentAction[];
  readonly events: readonly ExperimentEvent[];
  /** Look again at this time (epoch ms). */
  readonly wakeAt?: number;
  /** The spec problem reported as InvalidSpec (nothing else is done). */
  readonly invalid?: string;
}

const BAD_PHASES = new Set(['Failed', 'Error', 'Inconclusive']);

function upsert<T extends { readonly name: string }>(list: readonly T[] | undefined, item: T): T[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.name === item.name);
  if (i < 0) out.push(item);
  else out[i] = item;
  return out;
}

export function decideExperiment(o: ExperimentObservation): ExperimentDecision {
  const ex = o.experiment;
  const now = toKubeTime(o.now);
  const stored = ex.status ?? {};
  const problem = experimentSpecProblem(ex);
  if (problem !== undefined) {
    const before = findCondition(stored.conditions, ExperimentConditionType.InvalidSpec);
    const events: ExperimentEvent[] =
      before?.message === problem ? [] : [{ eventType: 'Warning', reason: 'InvalidSpec', message: problem }];
    return { status: withInvalidSpec(stored, problem, now), actions: [], events, invalid: problem };
  }

  const failures = o.failures ?? new Map<string, string>();
  const terminating = isTerminating(ex, ex.status);
  const passedDuration = hasPassedDuration(ex, ex.status, o.now);
  const actions: ExperimentAction[] = [];
  const events: ExperimentEvent[] = [];
  const wakeUps: number[] = [];

  let templateStatuses: ExperimentTemplateStatus[] | undefined = stored.templateStatuses
    ? [...stored.templateStatuses]
    : undefined;
  for (const template of ex.spec?.templates ?? []) {
    const outcome = reconcileTemplate({
      experiment: ex,
      template,
      replicaSet: o.replicaSets.get(template.name),
      service: o.services.get(template.name),
      now: o.now,
      terminating,
      passedDuration,
      failures,
    });
    templateStatuses = upsert(templateStatuses, outcome.status);
    actions.push(...outcome.actions);
    events.push(...outcome.events);
    if (outcome.wakeAt !== undefined) wakeUps.push(outcome.wakeAt);
  }

  let analysisRuns: ExperimentAnalysisRunStatus[] | undefined = stored.analysisRuns
    ? [...stored.analysisRuns]
    : undefined;
  for (const analysis of ex.spec?.analyses ?? []) {
    const outcome = reconcileAnalysis({
      experiment: ex,
      analysis,
      runs: o.runs,
      runNamesInUse: o.runNamesInUse,
      replicaSets: o.replicaSets,
      lookup: o.templates,
      terminating,
      failures,
    });
    analysisRuns = upsert(analysisRuns, outcome.status);
    actions.push(...outcome.actions);
    events.push(...outcome.events);
  }

  let status: ExperimentStatus = {
    ...stored,
    ...(templateStatuses !== undefined && { templateStatuses }),
    ...(analysisRuns !== undefined && { analysisRuns }),
  };
  status = calculatePhase(ex, status, now);
  status = experimentConditions(
    { experiment: ex, wasRunning: stored.availableAt !== undefined && !passedDuration },
    status,
    now,
  );
  if ((stored.phase ?? '') !== status.phase) {
    events.push({
      eventType: BAD_PHASES.has(status.phase ?? '') ? 'Warning' : 'Normal',
      reason: `Experiment${status.phase ?? ''}`,
      message: `Experiment transitioned from ${stored.phase ?? ''} -> ${status.phase ?? ''}`,
    });
  }
  const wake = nextWakeAt(ex, status, o.now);
  if (wake !== undefined) wakeUps.push(wake);
  return {
    status,
    actions,
    events,
    ...(wakeUps.length > 0 && { wakeAt: Math.min(...wakeUps) }),
  };
}
