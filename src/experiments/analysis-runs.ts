/**
 * One analysis's step of an Experiment decision (Argo's reconcileAnalysisRun): verify its template
 * while the templates come up, create the AnalysisRun `<experiment>-<analysis>` once they are available
 * (args resolved from the experiment, `dryRun`, `measurementRetention`, `analysisRunMetadata`), follow its
 * phase, and terminate it when the experiment ends. The run itself is built by the analysis module's
 * `resolveTemplateRefs` and `buildAnalysisRunSpec`. Pure.
 */
import {
  type Argument,
  buildAnalysisRunSpec,
  resolveTemplateRefs,
  type TemplateLookup,
} from '../analysis/index.js';
import {
  type AnalysisRun,
  POD_TEMPLATE_HASH_LABEL,
  plannedRunName,
  type ReplicaSet,
} from '../rollouts/index.js';
import { type ActionFailures, type ExperimentAction, type ExperimentEvent, failureKey } from './actions.js';
import { experimentDurationMs } from './experiment-duration.js';
import { experimentOwnerRef } from './template-objects.js';
import type { Experiment, ExperimentAnalysisRunStatus, ExperimentAnalysisTemplateRef } from './types.js';

export const INSTANCE_ID_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);
export const isAnalysisCompleted = (phase: string | undefined): boolean => COMPLETED.has(phase ?? '');

export interface AnalysisInput {
  readonly experiment: Experiment;
  readonly analysis: ExperimentAnalysisTemplateRef;
  /** Runs this experiment owns, by name. */
  readonly runs: ReadonlyMap<string, AnalysisRun>;
  /** Every AnalysisRun name taken in the namespace. */
  readonly runNamesInUse: ReadonlySet<string>;
  readonly replicaSets: ReadonlyMap<string, ReplicaSet>;
  readonly lookup: TemplateLookup;
  readonly terminating: boolean;
  readonly failures: ActionFailures;
}

export interface AnalysisOutcome {
  readonly status: ExperimentAnalysisRunStatus;
  readonly actions: readonly ExperimentAction[];
  readonly events: readonly ExperimentEvent[];
}

export function reconcileAnalysis(input: AnalysisInput): AnalysisOutcome {
  const { experiment: ex, analysis: a } = input;
  const previous = ex.status?.analysisRuns?.find((r) => r.name === a.name) ?? {
    name: a.name,
    analysisRun: '',
    phase: '',
  };
  const next = step(input, previous);
  const events: ExperimentEvent[] = [...next.events];
  if (previous.phase !== next.status.phase && next.status.phase !== '') {
    const base = `AnalysisRun '${a.name}' transitioned from ${previous.phase} -> ${next.status.phase}`;
    const bad =
      next.status.phase === 'Failed' || next.status.phase === 'Error' || next.status.phase === 'Inconclusive';
    events.push({
      eventType: bad ? 'Warning' : 'Normal',
      reason: `AnalysisRun${next.status.phase}`,
      message: next.status.message ? `${base}: ${next.status.message}` : base,
      toRollout: true,
    });
  }
  return { ...next, events };
}

function step(input: AnalysisInput, previous: ExperimentAnalysisRunStatus): AnalysisOutcome {
  const { experiment: ex, analysis: a, failures } = input;
  const done = (
    status: ExperimentAnalysisRunStatus,
    actions: ExperimentAction[] = [],
    events: ExperimentEvent[] = [],
  ) => ({
    status,
    actions,
    events,
  });
  const error = (message: string) => done({ ...previous, phase: 'Error', message });

  if (ex.status?.availableAt === undefined) {
    // not available yet: only check the template exists
    if (
      input.lookup({ templateName: a.templateName, ...(a.clusterScope && { clusterScope: true }) }) ===
      undefined
    ) {
      const kind = a.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      return error(
        `${kind} verification failed for analysis '${a.name}': ${kind.toLowerCase()}.argoproj.io "${a.templateName}" not found`,
      );
    }
    return done(previous);
  }

  const base = `${ex.metadata.name ?? ''}-${a.name}`;
  if (previous.analysisRun === '') {
    // created before a restart lost the status naming it: adopt it
    const adopted = [...input.runs.values()]
      .filter((r) => r.metadata.name === base || r.metadata.name?.startsWith(`${base}.`))
      .sort((x, y) =>
        (y.metadata.creationTimestamp ?? '').localeCompare(x.metadata.creationTimestamp ?? ''),
      )[0];
    if (adopted !== undefined)
      return done({ ...previous, analysisRun: adopted.metadata.name ?? '', phase: 'Pending' });
    if (input.terminating) return done(previous);
    const name = plannedRunName(base, undefined, [...input.runs.values()], input.runNamesInUse);
    const built = buildExperimentAnalysisRun(ex, a, name, input.replicaSets, input.lookup);
    const createFailure = (err: string) => `Failed to create AnalysisRun for analysis '${a.name}': ${err}`;
    if (!built.ok) return error(createFailure(built.message));
    const action: ExperimentAction = { type: 'createAnalysisRun', analysis: a.name, run: built.run };
    const failed = failures.get(failureKey(action));
    if (failed !== undefined) return error(createFailure(failed));
    return done({ name: a.name, analysisRun: name, phase: 'Pending' }, [action]);
  }

  if (isAnalysisCompleted(previous.phase)) return done(previous);
  const run = input.runs.get(previous.analysisRun);
  if (run === undefined) return error(`analysisruns.argoproj.io "${previous.analysisRun}" not found`);
  if (input.terminating) {
    if (isAnalysisCompleted(run.status?.phase) || run.spec?.terminate === true) return done(previous);
    const action: ExperimentAction = {
      type: 'terminateAnalysisRun',
      analysis: a.name,
      name: previous.analysisRun,
    };
    const failed = failures.get(failureKey(action));
    if (failed !== undefined) return error(failed);
    return done(
      previous,
      [action],
      [
        {
          eventType: 'Normal',
          reason: 'AnalysisRunTerminating',
          message: `Terminating ${a.name} (${previous.analysisRun})`,
        },
      ],
    );
  }
  const { message: _old, ...rest } = previous;
  return done({
    ...rest,
    phase: run.status?.phase || 'Pending',
    ...(run.status?.message && { message: run.status.message }),
  });
}

/**
 * Argo's ResolveExperimentArgsValue: `{{templates.<name>.podTemplateHash}}`,
 * `{{templates.<name>.replicaset.name}}`, `{{experiment.availableAt}}` and `{{experiment.finishedAt}}`
 * in arg values. Only values are passed on (a `valueFrom` is dropped, as upstream).
 */
export function resolveExperimentArgs(
  ex: Experiment,
  args: readonly Argument[] | undefined,
  replicaSets: ReadonlyMap<string, ReplicaSet>,
): { readonly ok: true; readonly args: Argument[] } | { readonly ok: false; readonly message: string } {
  const vars = new Map<string, string>();
  const availableAt = ex.status?.availableAt;
  if (availableAt !== undefined) {
    vars.set('experiment.availableAt', availableAt);
    const duration = experimentDurationMs(ex.spec?.duration);
    if (duration !== undefined)
      vars.set(
        'experiment.finishedAt',
        new Date(Date.parse(availableAt) + duration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      );
  }
  for (const t of ex.spec?.templates ?? []) {
    const rs = replicaSets.get(t.name);
    if (rs === undefined) continue;
    vars.set(`templates.${t.name}.podTemplateHash`, rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '');
    vars.set(`templates.${t.name}.replicaset.name`, rs.metadata.name ?? '');
  }
  const out: Argument[] = [];
  for (const arg of args ?? []) {
    if (arg.value === undefined) {
      out.push({ name: arg.name });
      continue;
    }
    let unresolved: string | undefined;
    const value = arg.value.replace(/\{\{(.*?)\}\}/g, (_all, tag: string) => {
      const v = vars.get(tag.trim());
      if (v === undefined) unresolved ??= tag;
      return v ?? '';
    });
    if (unresolved !== undefined) return { ok: false, message: `failed to resolve {{${unresolved}}}` };
    out.push({ name: arg.name, value });
  }
  return { ok: true, args: out };
}

export function buildExperimentAnalysisRun(
  ex: Experiment,
  a: ExperimentAnalysisTemplateRef,
  name: string,
  replicaSets: ReadonlyMap<string, ReplicaSet>,
  lookup: TemplateLookup,
): { readonly ok: true; readonly run: AnalysisRun } | { readonly ok: false; readonly message: string } {
  const args = resolveExperimentArgs(ex, a.args as readonly Argument[] | undefined, replicaSets);
  if (!args.ok) return args;
  const refs = resolveTemplateRefs(
    [{ templateName: a.templateName, ...(a.clusterScope && { clusterScope: true }) }],
    lookup,
  );
  if (!refs.ok) return refs;
  const spec = ex.spec ?? { templates: [] };
  const built = buildAnalysisRunSpec(refs.templates, args.args, {
    ...(spec.dryRun !== undefined && { dryRun: spec.dryRun }),
    ...(spec.measurementRetention !== undefined && { measurementRetention: spec.measurementRetention }),
  });
  if (!built.ok) return built;
  const instanceId = ex.metadata.labels?.[INSTANCE_ID_LABEL];
  const meta = spec.analysisRunMetadata;
  const labels = {
    ...(meta?.labels ?? {}),
    ...(instanceId !== undefined && { [INSTANCE_ID_LABEL]: instanceId }),
  };
  return {
    ok: true,
    run: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name,
        namespace: ex.metadata.namespace ?? '',
        ...(Object.keys(labels).length > 0 && { labels }),
        ...(meta?.annotations !== undefined && { annotations: { ...meta.annotations } }),
        ownerReferences: [experimentOwnerRef(ex)],
      },
      spec: built.spec as unknown as Record<string, unknown>,
    },
  };
}
