/**
 * User operations on a Rollout, sending exactly the patches the upstream kubectl plugin sends
 * (argo-rollouts pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause,restart,undo,set}), so a
 * Rollout driven by Slipway reacts to either tool the same way.
 */
import { SlipwayError } from '../errors/index.js';
import { isConflict, type KubeClient, type KubeObject } from '../kube/index.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from './pod-template-hash.js';
import { isControlledBy, type ReplicaSet, revisionOf } from './replica-sets.js';
import { currentStep } from './steps.js';
import type { Rollout } from './types.js';

export type RolloutObjectLike = Rollout & KubeObject;

const GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;

export class RolloutActionError extends SlipwayError {
  constructor(message: string) {
    super('ROLLOUT_ACTION', message);
  }
}

export interface RolloutRef {
  readonly namespace: string;
  readonly name: string;
}

const ref = (r: RolloutRef) => ({ ...GVK, namespace: r.namespace, name: r.name });

async function patchStatus(client: KubeClient, r: RolloutRef, patch: unknown): Promise<RolloutObjectLike> {
  return client.patch<RolloutObjectLike>(ref(r), patch, { type: 'merge', subresource: 'status' });
}

async function patchSpec(client: KubeClient, r: RolloutRef, patch: unknown): Promise<RolloutObjectLike> {
  return client.patch<RolloutObjectLike>(ref(r), patch, { type: 'merge' });
}

export interface PromoteOptions {
  /** Skip the remaining steps and go to 100% (`status.promoteFull`). */
  readonly full?: boolean;
  /** Skip the current step (`status.currentStepIndex + 1`). */
  readonly skipCurrentStep?: boolean;
  /** Skip every step. */
  readonly skipAllSteps?: boolean;
}

/** The plugin's `promote`: the status patch (if any) first, then the spec patch. */
export async function promoteRollout(
  client: KubeClient,
  r: RolloutRef,
  options: PromoteOptions = {},
): Promise<RolloutObjectLike> {
  let rollout = await client.get<RolloutObjectLike>(ref(r));
  if (options.skipCurrentStep && options.skipAllSteps)
    throw new RolloutActionError('cannot skip the current step and all steps at once; choose one');
  const stepCount = rollout.spec?.strategy?.canary?.steps?.length ?? 0;
  let specPatch: unknown;
  let statusPatch: unknown;
  if (options.skipCurrentStep) {
    const { index } = currentStep(rollout);
    if (index !== undefined)
      statusPatch = { pauseConditions: null, currentStepIndex: Math.min(index + 1, stepCount) };
  } else if (options.skipAllSteps) {
    statusPatch = { pauseConditions: null, currentStepIndex: stepCount };
  } else if (options.full) {
    if (rollout.status?.currentPodHash !== rollout.status?.stableRS) statusPatch = { promoteFull: true };
  } else {
    if (rollout.spec?.paused) specPatch = { spec: { paused: false } };
    if ((rollout.status?.pauseConditions ?? []).length > 0) statusPatch = { pauseConditions: null };
    else if (rollout.spec?.strategy?.canary !== undefined) {
      const { index } = currentStep(rollout);
      if (index !== undefined) statusPatch = { currentStepIndex: Math.min(index + 1, stepCount) };
    }
  }
  if (statusPatch !== undefined) rollout = await patchStatus(client, r, { status: statusPatch });
  if (specPatch !== undefined) rollout = await patchSpec(client, r, specPatch);
  return rollout;
}

/** `abort`: `{"status":{"abort":true}}` on the status subresource. */
export const abortRollout = (client: KubeClient, r: RolloutRef) =>
  patchStatus(client, r, { status: { abort: true } });

/** `retry rollout`: `{"status":{"abort":false}}` on the status subresource. */
export const retryRollout = (client: KubeClient, r: RolloutRef) =>
  patchStatus(client, r, { status: { abort: false } });

/** `pause`: `{"spec":{"paused":true}}`. */
export const pauseRollout = (client: KubeClient, r: RolloutRef) =>
  patchSpec(client, r, { spec: { paused: true } });

/** Resume a manual pause: `{"spec":{"paused":false}}` (promote also clears pause conditions). */
export const resumeRollout = (client: KubeClient, r: RolloutRef) =>
  patchSpec(client, r, { spec: { paused: false } });

/** `restart`: `{"spec":{"restartAt":"<RFC 3339>"}}`, now or after `inMs`. */
export function restartRollout(client: KubeClient, r: RolloutRef, now: number, inMs = 0) {
  const at = new Date(Math.floor((now + inMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return patchSpec(client, r, { spec: { restartAt: at } });
}

/**
 * `undo [--to-revision N]`: a JSON patch replacing spec.template with the template of that
 * revision's ReplicaSet (without the hash label); the previous revision by default.
 */
export async function undoRollout(
  client: KubeClient,
  r: RolloutRef,
  toRevision = 0,
): Promise<RolloutObjectLike> {
  const rollout = await client.get<RolloutObjectLike>(ref(r));
  const { items } = await client.listAll<ReplicaSet>(
    { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
    { namespace: r.namespace },
  );
  const owned = items
    .filter((rs) => isControlledBy(rs, rollout.metadata.uid))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  const target =
    toRevision > 0
      ? owned.find((rs) => revisionOf(rs) === toRevision)
      : owned.filter((rs) => revisionOf(rs) > 0)[1];
  if (target === undefined)
    throw new RolloutActionError(
      toRevision > 0
        ? `unable to find specified revision ${toRevision} in history`
        : 'no rollout history found',
    );
  const template = structuredClone(target.spec?.template ?? {}) as {
    metadata?: { labels?: Record<string, string> };
  };
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  const annotations = { ...(rollout.metadata.annotations ?? {}) };
  delete annotations[REVISION_ANNOTATION];
  return client.patch<RolloutObjectLike>(
    ref(r),
    [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
    { type: 'json' },
  );
}

interface Container {
  name?: string;
  image?: string;
}

/**
 * `set image NAME CONTAINER=IMAGE`: updates matching containers (init and ephemeral included; `*`
 * matches all) and writes the Rollout back with optimistic concurrency, retrying on conflict.
 */
export async function setRolloutImage(
  client: KubeClient,
  r: RolloutRef,
  container: string,
  image: string,
): Promise<RolloutObjectLike> {
  for (let attempt = 0; ; attempt++) {
    const rollout = structuredClone(await client.get<RolloutObjectLike>(ref(r)));
    const podSpec = (rollout.spec?.template?.spec ?? {}) as Record<string, Container[] | undefined>;
    let found = false;
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const c of podSpec[list] ?? []) {
        if (container === '*' || c.name === container) {
          c.image = image;
          found = true;
        }
      }
    }
    if (!found) throw new RolloutActionError(`unable to find container named "${container}"`);
    try {
      return await client.replace<RolloutObjectLike>(rollout);
    } catch (err) {
      if (!isConflict(err) || attempt >= 5) throw err;
    }
  }
}
