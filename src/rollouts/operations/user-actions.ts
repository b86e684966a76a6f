/**
 * User operations on a Rollout, sending the requests the kubectl-argo-rollouts plugin sends
 * (argo-rollouts pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause,restart,undo,set}), so a
 * Rollout reacts to either tool the same way. Deciding what to send is pure (`promotePatches`,
 * `planUndo`, `withImage`, ...); the `*Rollout` functions only read, send and retry.
 */
import { SlipwayError } from '../../errors/index.js';
import {
  formatMetaLabelSelector,
  isConflict,
  isNotFound,
  type KubeObject,
  type KubeReader,
  type KubeWriter,
  type ObjectRef,
} from '../../kube/index.js';
import { currentStep } from '../canary/steps.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import type { Rollout } from '../types.js';
import { planUndo, type UndoPlan } from './undo.js';

export { type JsonPatchOperation, planUndo, type UndoPlan } from './undo.js';

export type RolloutObjectLike = Rollout & KubeObject;

/** The reads and writes user operations need; `KubeClient` is one. */
export type UserActionClient = Pick<KubeReader, 'get' | 'listAll'> & Pick<KubeWriter, 'patch' | 'replace'>;

export class RolloutActionError extends SlipwayError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('ROLLOUT_ACTION', message, options);
  }
}

export interface RolloutRef {
  readonly namespace: string;
  readonly name: string;
}

const ref = (r: RolloutRef): ObjectRef => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', ...r });

type MergePatch = Readonly<Record<string, unknown>>;

/**
 * Merge patches for one operation, in the plugin's order: `status` to the status subresource, then
 * `spec` to the Rollout itself. When the status subresource answers 404 (a CRD without one),
 * `unified` goes to the Rollout instead of `spec`; without `unified` the 404 is the answer.
 */
export interface ActionPatches {
  readonly status?: MergePatch;
  readonly spec?: MergePatch;
  readonly unified?: MergePatch;
}

export interface PromoteOptions {
  /** Go to 100% at once, skipping steps, pauses and analysis (`status.promoteFull`). */
  readonly full?: boolean;
  /** Deprecated upstream (plain promote does the same): `status.currentStepIndex + 1`. */
  readonly skipCurrentStep?: boolean;
  /** Deprecated upstream (use `full`): `status.currentStepIndex = steps.length`. */
  readonly skipAllSteps?: boolean;
}

/** The step index after the current one, never past `steps.length`; undefined without steps. */
function nextStepIndex(rollout: Rollout): number | undefined {
  const { index } = currentStep(rollout);
  if (index === undefined) return undefined;
  return index < (rollout.spec?.strategy?.canary?.steps?.length ?? 0) ? index + 1 : index;
}

/** Throws for flag combinations the plugin refuses before reading the Rollout. */
export function checkPromoteOptions(options: PromoteOptions): void {
  if (options.skipCurrentStep && options.skipAllSteps)
    throw new RolloutActionError(
      'cannot skip the current step and all steps at once; promote without flags, or use --full',
    );
}

/** `promote [--full]`: the patches for this Rollout as it is now. Pure. */
export function promotePatches(rollout: Rollout, options: PromoteOptions = {}): ActionPatches {
  checkPromoteOptions(options);
  const strategy = rollout.spec?.strategy;
  const status = rollout.status ?? {};
  if (options.skipCurrentStep || options.skipAllSteps) {
    if (strategy?.blueGreen !== undefined)
      throw new RolloutActionError('a blue-green rollout has no steps to skip; promote without flags');
    if ((strategy?.canary?.steps?.length ?? 0) === 0)
      throw new RolloutActionError('the rollout has no steps to skip; promote without flags');
  }
  if (options.skipCurrentStep) {
    const next = nextStepIndex(rollout);
    if (next === undefined) return {};
    const patch = { status: { currentStepIndex: next } };
    return { status: patch, unified: patch };
  }
  if (options.skipAllSteps) {
    const patch = { status: { currentStepIndex: strategy?.canary?.steps?.length ?? 0 } };
    return { status: patch, unified: patch };
  }
  if (options.full) {
    const isFullyPromoted = (status.currentPodHash ?? '') === (status.stableRS ?? '');
    return isFullyPromoted ? {} : { status: { status: { promoteFull: true } } };
  }
  const spec = rollout.spec?.paused ? { spec: { paused: false } } : undefined;
  const unified = { spec: { paused: false }, status: { pauseConditions: null } };
  const paused = (status.pauseConditions ?? []).length > 0;
  const inconclusive =
    strategy?.canary !== undefined && status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  if (inconclusive && paused && status.controllerPause) {
    // Leave the inconclusive step too, or a pause step right after it would hold the rollout.
    const next = nextStepIndex(rollout);
    const patch =
      next === undefined
        ? undefined
        : { status: { pauseConditions: null, controllerPause: false, currentStepIndex: next } };
    return { ...(patch && { status: patch }), ...(spec && { spec }), unified };
  }
  if (paused) return { status: { status: { pauseConditions: null } }, ...(spec && { spec }), unified };
  // Not paused by the controller (e.g. running a step's analysis): move to the next step.
  const next = strategy?.canary === undefined ? undefined : nextStepIndex(rollout);
  if (next === undefined) return { ...(spec && { spec }), unified };
  return {
    status: { status: { pauseConditions: null, currentStepIndex: next } },
    ...(spec && { spec }),
    unified: { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: next } },
  };
}

const statusFirst = (patch: MergePatch): ActionPatches => ({ status: patch, unified: patch });

/** `abort`: `status.abort = true`. */
export const abortPatches = (): ActionPatches => statusFirst({ status: { abort: true } });
/** `retry rollout`: `status.abort = false`. */
export const retryPatches = (): ActionPatches => statusFirst({ status: { abort: false } });
/** `pause`: `spec.paused = true`. */
export const pausePatches = (): ActionPatches => ({ spec: { spec: { paused: true } } });
/** Slipway's `resume` (upstream has none any more): undoes `pause`, nothing else. */
export const resumePatches = (): ActionPatches => ({ spec: { spec: { paused: false } } });

/** RFC 3339 in UTC with whole seconds (fractions truncated), as Go's `time.RFC3339` prints it. */
export function restartAtTimestamp(now: number, delayMs = 0): string {
  return new Date(Math.floor((now + delayMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `restart [--in DURATION]`: `spec.restartAt`. */
export const restartPatches = (now: number, delayMs = 0): ActionPatches => ({
  spec: { spec: { restartAt: restartAtTimestamp(now, delayMs) } },
});

/** Sends `patches` as `ActionPatches` describes; returns the last answer (undefined if none was sent). */
export async function sendActionPatches(
  client: UserActionClient,
  r: RolloutRef,
  patches: ActionPatches,
): Promise<RolloutObjectLike | undefined> {
  let answer: RolloutObjectLike | undefined;
  let spec = patches.spec;
  if (patches.status !== undefined) {
    try {
      answer = await client.patch<RolloutObjectLike>(ref(r), patches.status, {
        type: 'merge',
        subresource: 'status',
      });
    } catch (err) {
      if (!isNotFound(err) || patches.unified === undefined) throw err;
      spec = patches.unified;
    }
  }
  if (spec !== undefined) answer = await client.patch<RolloutObjectLike>(ref(r), spec, { type: 'merge' });
  return answer;
}

/** `promote`: reads the Rollout, then sends `promotePatches`. */
export async function promoteRollout(
  client: UserActionClient,
  r: RolloutRef,
  options: PromoteOptions = {},
): Promise<RolloutObjectLike> {
  checkPromoteOptions(options);
  const rollout = await client.get<RolloutObjectLike>(ref(r));
  return (await sendActionPatches(client, r, promotePatches(rollout, options))) ?? rollout;
}

const sendTo = (client: UserActionClient, r: RolloutRef, patches: ActionPatches) =>
  sendActionPatches(client, r, patches) as Promise<RolloutObjectLike>;

export const abortRollout = (client: UserActionClient, r: RolloutRef) => sendTo(client, r, abortPatches());
export const retryRollout = (client: UserActionClient, r: RolloutRef) => sendTo(client, r, retryPatches());
export const pauseRollout = (client: UserActionClient, r: RolloutRef) => sendTo(client, r, pausePatches());
export const resumeRollout = (client: UserActionClient, r: RolloutRef) => sendTo(client, r, resumePatches());
export const restartRollout = (client: UserActionClient, r: RolloutRef, now: number, delayMs = 0) =>
  sendTo(client, r, restartPatches(now, delayMs));

/**
 * `undo`: reads the Rollout and the ReplicaSets its selector matches, then sends `planUndo`'s
 * patch. Returns the plan that was carried out (`patch` or `skip`).
 */
export async function undoRollout(
  client: UserActionClient,
  r: RolloutRef,
  toRevision = 0,
): Promise<Exclude<UndoPlan, { kind: 'error' }>> {
  const rollout = await client.get<RolloutObjectLike>(ref(r));
  const selector = formatMetaLabelSelector(rollout.spec?.selector ?? {});
  const { items } = await client.listAll<ReplicaSet>(
    { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
    { namespace: r.namespace, ...(selector !== '<none>' && { labelSelector: selector }) },
  );
  const plan = planUndo(rollout, items, toRevision);
  if (plan.kind === 'error') throw new RolloutActionError(plan.message);
  if (plan.kind === 'patch') {
    try {
      await client.patch(plan.target, plan.patch, { type: plan.type });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new RolloutActionError(`failed restoring revision ${plan.revision}: ${message}`, { cause: err });
    }
  }
  return plan;
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * `set image CONTAINER=IMAGE`: a copy of `obj` with the image of every init, regular and ephemeral
 * container named CONTAINER (every container for `*`) replaced. Pure.
 */
export function withImage<T extends KubeObject>(obj: T, container: string, image: string): T {
  const copy = structuredClone(obj) as T & { spec?: { template?: { spec?: Record<string, unknown> } } };
  const podSpec = copy.spec?.template?.spec ?? {};
  let found = false;
  for (const list of CONTAINER_LISTS) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    for (const c of containers as Record<string, unknown>[]) {
      if (container !== '*' && c.name !== container) continue;
      c.image = image;
      found = true;
    }
  }
  if (!found) throw new RolloutActionError(`unable to find container named "${container}"`);
  return copy;
}

/** What `set image` writes: the Rollout, or the Deployment its `spec.workloadRef` names. */
export function imageTarget(rollout: RolloutObjectLike): ObjectRef {
  const namespace = rollout.metadata.namespace ?? '';
  const workload = rollout.spec?.workloadRef;
  if (workload === undefined || workload === null)
    return ref({ namespace, name: rollout.metadata.name ?? '' });
  if (typeof workload.name !== 'string')
    throw new RolloutActionError('spec.workloadRef.name is not a string; fix the Rollout');
  return { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: workload.name };
}

const SET_IMAGE_ATTEMPTS = 5;

/** `set image`: read, `withImage`, replace (optimistic concurrency), up to 5 attempts on conflict. */
export async function setRolloutImage(
  client: UserActionClient,
  r: RolloutRef,
  container: string,
  image: string,
): Promise<KubeObject> {
  for (let attempt = 1; ; attempt++) {
    try {
      const rollout = await client.get<RolloutObjectLike>(ref(r));
      const target = imageTarget(rollout);
      const current = target.kind === 'Rollout' ? rollout : await client.get(target);
      return await client.replace(withImage(current, container, image));
    } catch (err) {
      if (!isConflict(err) || attempt >= SET_IMAGE_ATTEMPTS) throw err;
    }
  }
}
