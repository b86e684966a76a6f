/**
 * The Experiment reconciler: read the Experiment and what it owns from the caches, decide (pure),
 * run the actions, write the status once, then record the decision's events. A refused action is
 * fed back into a second decision so that the status reports it (Argo's template/analysis Error).
 * Every decision that must survive a restart is in the status or in deterministic object names.
 */
import type { AnalysisTemplateLike, TemplateLookup } from '../analysis/index.js';
import type { EventRecorder } from '../core/index.js';
import {
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  requeueAfter,
  type StatusWriter,
} from '../core/index.js';
import { Index, isNotFound, type KubeClient, type KubeObject, type Reflector } from '../kube/index.js';
import type { AnalysisRun, ReplicaSet } from '../rollouts/index.js';
import { decideExperiment, type ExperimentObservation } from './decide.js';
import { type ExperimentExecutor, experimentSubject } from './executor.js';
import { EXPERIMENT_TEMPLATE_NAME_ANNOTATION, isTemplateObject } from './template-objects.js';
import type { Experiment } from './types.js';

export type ExperimentObject = Experiment & KubeObject;

export interface ExperimentInformers {
  readonly experiments: Reflector<ExperimentObject>;
  readonly replicaSets: Reflector<ReplicaSet>;
  readonly services: Reflector<KubeObject>;
  readonly analysisRuns: Reflector<AnalysisRun>;
  readonly analysisTemplates: Reflector<KubeObject>;
  readonly clusterAnalysisTemplates: Reflector<KubeObject>;
}

export interface ExperimentReconcilerOptions {
  readonly informers: ExperimentInformers;
  readonly client: KubeClient;
  readonly executor: ExperimentExecutor;
  readonly events: EventRecorder;
  readonly written: StatusWriter;
}

const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;
const ANALYSIS_TEMPLATE = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate' } as const;
const CLUSTER_ANALYSIS_TEMPLATE = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ClusterAnalysisTemplate',
} as const;

export class ExperimentReconciler implements Reconciler {
  constructor(private readonly options: ExperimentReconcilerOptions) {}

  async reconcile(ctx: ReconcileContext, request: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const { informers, written, executor, events } = this.options;
    if (!Object.values(informers).every((i) => i.hasSynced)) return { requeueAfterMs: 200 };
    const cached = informers.experiments.store.get(request.key);
    if (cached === undefined) {
      written.forget('Experiment', request.namespace, request.name);
      return undefined;
    }
    const ex = written.fresher('Experiment', cached) ?? cached;
    if (ex.metadata.deletionTimestamp !== undefined) return undefined;
    const observation = await this.observe(ex, ctx.clock.now());
    let decision = decideExperiment(observation);
    if (decision.invalid !== undefined) {
      if (decision.events.length > 0)
        ctx.logger.warn({ experiment: request.key, problem: decision.invalid }, 'experiment spec is invalid');
      await executor.writeStatus(ex, decision.status);
      for (const e of decision.events) events.record(experimentSubject(ex), e.eventType, e.reason, e.message);
      return undefined;
    }
    const failures = await executor.run(ex, decision.actions);
    if (failures.size > 0) {
      ctx.logger.warn(
        { experiment: request.key, failures: Object.fromEntries(failures) },
        'experiment action refused',
      );
      // what the first attempt did stays done; the second decision reports the refusals
      decision = decideExperiment({ ...observation, failures });
    }
    await executor.writeStatus(ex, decision.status);
    if (decision.status.phase !== ex.status?.phase)
      ctx.logger.info({ experiment: request.key, phase: decision.status.phase }, 'experiment phase changed');
    for (const e of decision.events) events.record(experimentSubject(ex), e.eventType, e.reason, e.message);
    // a run's transitions also reach the Rollout of a canary experiment step (its notifications), as upstream
    const rollout = ex.metadata.ownerReferences?.find((r) => r.kind === 'Rollout');
    if (rollout !== undefined) {
      const subject = {
        apiVersion: rollout.apiVersion,
        kind: 'Rollout',
        metadata: { name: rollout.name, namespace: ex.metadata.namespace ?? '', uid: rollout.uid },
      };
      for (const e of decision.events)
        if (e.toRollout === true) events.record(subject, 'Warning', e.reason, e.message);
    }
    return decision.wakeAt === undefined ? undefined : requeueAfter(decision.wakeAt - ctx.clock.now());
  }

  private async observe(ex: ExperimentObject, now: number): Promise<ExperimentObservation> {
    const { informers, written } = this.options;
    const uid = ex.metadata.uid ?? '';
    const namespace = ex.metadata.namespace ?? '';
    const names = new Set((ex.spec?.templates ?? []).map((t) => t.name));
    const byTemplate = <T extends KubeObject>(objects: readonly T[]): Map<string, T> => {
      const out = new Map<string, T>();
      for (const obj of [...objects].sort((a, b) =>
        (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
      )) {
        const template = obj.metadata.annotations?.[EXPERIMENT_TEMPLATE_NAME_ANNOTATION] ?? '';
        if (!names.has(template) || !isTemplateObject(obj, ex, template) || out.has(template)) continue;
        out.set(template, obj);
      }
      return out;
    };
    const replicaSets = byTemplate(
      informers.replicaSets.store
        .byIndex(Index.Owner, uid)
        .map((rs) => written.fresher('ReplicaSet', rs) ?? rs),
    );
    const services = byTemplate(informers.services.store.byIndex(Index.Owner, uid));
    const runs = new Map(
      informers.analysisRuns.store.byIndex(Index.Owner, uid).map((r) => [r.metadata.name ?? '', r]),
    );
    // a run the status names that the cache has not shown yet (just created): read it
    for (const ref of ex.status?.analysisRuns ?? []) {
      if (ref.analysisRun === '' || runs.has(ref.analysisRun)) continue;
      try {
        const run = await this.options.client.get<AnalysisRun>({ ...AR, namespace, name: ref.analysisRun });
        if (run.metadata.ownerReferences?.some((r) => r.uid === uid)) runs.set(ref.analysisRun, run);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const runNamesInUse = new Set(
      informers.analysisRuns.store.byIndex(Index.Namespace, namespace).map((r) => r.metadata.name ?? ''),
    );
    const cached = (ref: { readonly templateName: string; readonly clusterScope?: boolean }) =>
      (ref.clusterScope === true
        ? informers.clusterAnalysisTemplates.store.get(ref.templateName)
        : informers.analysisTemplates.store.get(`${namespace}/${ref.templateName}`)) as
        | AnalysisTemplateLike
        | undefined;
    // a template created just before the Experiment may not be in the cache yet: read it before
    // the decision calls it missing (which ends the experiment in Error)
    const readThrough = new Map<string, AnalysisTemplateLike>();
    const lookupKey = (ref: { readonly templateName: string; readonly clusterScope?: boolean }) =>
      `${ref.clusterScope === true ? 'cluster' : namespace}/${ref.templateName}`;
    for (const a of ex.spec?.analyses ?? []) {
      const ref = { templateName: a.templateName, ...(a.clusterScope === true && { clusterScope: true }) };
      if (cached(ref) !== undefined || readThrough.has(lookupKey(ref))) continue;
      try {
        const template = await this.options.client.get<AnalysisTemplateLike & KubeObject>(
          a.clusterScope === true
            ? { ...CLUSTER_ANALYSIS_TEMPLATE, name: a.templateName }
            : { ...ANALYSIS_TEMPLATE, namespace, name: a.templateName },
        );
        readThrough.set(lookupKey(ref), template);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const templates: TemplateLookup = (ref) => cached(ref) ?? readThrough.get(lookupKey(ref));
    return { experiment: ex, replicaSets, services, runs, runNamesInUse, templates, now };
  }
}
