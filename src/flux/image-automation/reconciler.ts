import {
  type EventRecorder,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  RetryAfterStatusError,
  type StatusWriter,
  toKubeTime,
} from '../../core/index.js';
import {
  type KubeClient,
  labelSelectorFromMeta,
  matchesLabelSelector,
  type Reflector,
} from '../../kube/index.js';
import type { RepoCache } from '../../sync/index.js';
import { FluxConditionType } from '../conditions.js';
import type { GitRepositoryCredentials } from '../credentials.js';
import { currentFluxObject } from '../current-object.js';
import { durationMs, jittered } from '../intervals.js';
import { FLUX_FINALIZER, withFluxFinalizer, withoutFluxFinalizer, writeFluxStatus } from '../status-write.js';
import type { GitRepository } from '../types.js';
import { type AutomationRun, runAutomation } from './automation-run.js';
import {
  AutomationStatusDraft,
  ImageAutomationReason,
  observedPoliciesChanged,
  READY_MESSAGE,
} from './automation-status.js';
import type { ManifestReadLimits } from './manifest-files.js';
import type { ImageRef, PolicyLatest } from './setter-values.js';
import { sourceConfig, updateStrategyProblem } from './source-config.js';
import { IMAGE_UPDATE_AUTOMATION_GVK, type ImagePolicyView, type ImageUpdateAutomation } from './types.js';

export interface ImageUpdateAutomationReconcilerDeps {
  readonly client: KubeClient;
  readonly automations: Reflector<ImageUpdateAutomation>;
  readonly policies: Reflector<ImagePolicyView>;
  readonly sources: Reflector<GitRepository>;
  /** The Flux module's Git cache: `git ls-remote` answers for the checkout and push branches. */
  readonly git: RepoCache;
  readonly credentials: GitRepositoryCredentials;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
  /** Where working clones are made (removed after each run). */
  readonly scratchDir: string;
  /** Asks the GitRepository to fetch again after a push (so the Kustomization sees it sooner). */
  readonly refreshSource?: (key: string) => void;
  readonly readLimits?: ManifestReadLimits;
}

const KIND = 'ImageUpdateAutomation';

/** The ready policies an automation sees: its namespace, its selector, a `latestRef` set (Flux's getPolicies). */
function selectPolicies(
  all: readonly ImagePolicyView[],
  obj: ImageUpdateAutomation,
): { policies: PolicyLatest[] } | { error: string } {
  const meta = obj.spec.policySelector;
  const selector = meta ? labelSelectorFromMeta(meta) : undefined;
  if (meta && !selector) {
    const op = meta.matchExpressions?.find(
      (e) => !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator),
    );
    return {
      error: `failed to parse policy selector: "${op?.operator ?? ''}" is not a valid label selector operator`,
    };
  }
  const policies: PolicyLatest[] = [];
  for (const p of all) {
    if (p.metadata.namespace !== obj.metadata.namespace) continue;
    if (selector && !matchesLabelSelector(selector, p.metadata.labels ?? {})) continue;
    const latest = p.status?.latestRef;
    if (!latest?.name || !latest.tag) continue;
    policies.push({ namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '', latestRef: latest });
  }
  return { policies: policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}

/**
 * image-automation-controller's reconcile on Slipway's Git layer: select the ImagePolicies, check the
 * Git configuration, resolve the checkout branch with `git ls-remote` (no clone when neither it nor
 * the policies moved since the last run), clone, apply the Setters, commit with the rendered
 * message, push (again from a fresh clone when the remote moved on), and write Flux's status once.
 */
export class ImageUpdateAutomationReconciler implements Reconciler {
  constructor(private readonly d: ImageUpdateAutomationReconcilerDeps) {}

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.automations, this.d.writer, KIND, req);
    if (current.state === 'deleting' && (current.obj.metadata.finalizers ?? []).includes(FLUX_FINALIZER))
      await withoutFluxFinalizer(this.d.client, IMAGE_UPDATE_AUTOMATION_GVK, current.obj);
    if (current.state !== 'active') return undefined;
    const obj = await withFluxFinalizer(
      this.d.client,
      this.d.writer,
      IMAGE_UPDATE_AUTOMATION_GVK,
      current.obj,
      current.cached,
    );
    const nowMs = ctx.clock.now();
    const draft = new AutomationStatusDraft(obj, toKubeTime(nowMs));
    const previousReady = draft.ready();
    const intervalMs = durationMs(obj.spec.interval, 60_000);
    let pushed: { readonly commit: string; readonly summary: string } | undefined;

    const selected = selectPolicies(this.d.policies.store.list(), obj);
    if ('error' in selected) draft.stalled(ImageAutomationReason.InvalidPolicySelector, selected.error);
    else {
      const observed: Record<string, ImageRef> = {};
      for (const p of selected.policies) observed[p.name] = p.latestRef;
      const source = this.d.sources.store.get(
        `${obj.spec.sourceRef.namespace || obj.metadata.namespace || ''}/${obj.spec.sourceRef.name}`,
      );
      const config = sourceConfig(obj, source ? source.spec.ref : null);
      const problem = 'kind' in config ? config : updateStrategyProblem(obj);
      if (problem) {
        if (problem.kind === 'stalled') draft.stalled(problem.reason, problem.message);
        else draft.failed(problem.reason, problem.message);
      } else if (source && !('kind' in config)) {
        const run: AutomationRun = {
          automation: obj,
          source,
          config,
          policies: selected.policies,
          syncNeeded:
            observedPoliciesChanged(obj.status?.observedPolicies, observed) ||
            config.switchBranch ||
            config.refspec !== undefined ||
            obj.metadata.generation !== obj.status?.observedGeneration,
          now: new Date(nowMs),
        };
        const result = await runAutomation(run, {
          git: this.d.git,
          credentials: this.d.credentials,
          scratchDir: this.d.scratchDir,
          logger: ctx.logger,
          ...(this.d.readLimits && { readLimits: this.d.readLimits }),
        });
        switch (result.kind) {
          case 'unchanged':
            draft.observe(observed, result.sourceRevision).succeeded();
            break;
          case 'pushed':
            draft
              .pushed(result.commit, toKubeTime(result.pushedAt?.getTime() ?? ctx.clock.now()))
              .observe(observed, result.sourceRevision)
              .succeeded();
            pushed = { commit: result.commit, summary: result.summary };
            this.d.refreshSource?.(config.sourceKey);
            break;
          case 'stalled':
            draft.stalled(result.reason, result.message);
            break;
          case 'failed':
            draft.failed(result.reason, result.message);
            break;
        }
      }
    }

    await writeFluxStatus(this.d.client, this.d.writer, obj, draft.build());
    this.notify(ctx, obj, previousReady, draft, pushed);
    if (draft.outcome === 'failed')
      throw new RetryAfterStatusError(new Error(draft.ready()?.message ?? 'automation failed'));
    if (draft.outcome === 'stalled') return undefined;
    return { requeueAfterMs: jittered(intervalMs, Math.random()) };
  }

  /** Flux's `notify`: an Event for a push, for becoming ready, and for a new failure. */
  private notify(
    ctx: ReconcileContext,
    obj: ImageUpdateAutomation,
    previousReady: { status: string; reason?: string; message?: string } | undefined,
    draft: AutomationStatusDraft,
    pushed: { readonly commit: string; readonly summary: string } | undefined,
  ): void {
    const ready = draft.ready();
    if (!ready) return;
    if (ready.status === 'True') {
      if (pushed !== undefined) {
        ctx.logger.info({ commit: pushed.commit }, 'pushed image updates');
        this.d.events.normal(obj, ImageAutomationReason.Succeeded, pushed.summary);
      } else if (previousReady?.status !== 'True') {
        this.d.events.normal(obj, ImageAutomationReason.Succeeded, READY_MESSAGE);
      }
      return;
    }
    if (previousReady?.message === ready.message && previousReady?.reason === ready.reason) return;
    ctx.logger.warn({ reason: ready.reason, outcome: draft.outcome }, 'image update automation failed');
    this.d.events.warning(obj, ready.reason ?? FluxConditionType.Ready, ready.message ?? '');
  }
}
