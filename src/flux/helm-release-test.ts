import { type EventRecorder, toKubeTime } from '../core/index.js';
import {
  isForbidden,
  isNotFound,
  isRetryable,
  type KubeClient,
  KubeError,
  type KubeObject,
} from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import { parseManifests } from '../sync/index.js';
import { type ApplyOwner, prepareOwnedObjects } from './apply.js';
import type { HelmReleaseStatusDraft } from './helm-release-status.js';
import {
  ignoresTestFailures,
  markTestFailed,
  markTestSucceeded,
  recordTestHooks,
} from './helm-release-test-status.js';
import {
  assessRunningHook,
  HookDeletePolicy,
  hasDeletePolicy,
  initialTestHookStates,
  nextTestRunStep,
  observeHookObject,
  selectedTestHooks,
  TestHookPhase,
} from './helm-test-hooks.js';
import type { HelmRelease, Snapshot, TestHookStatus } from './helm-types.js';
import type { ReleaseStorage, StoredHook } from './release-storage.js';
import { FLUX_FIELD_MANAGER } from './status-write.js';

/** One look at a release's tests, from one reconcile. */
export interface ReleaseTestRun {
  /** Who creates, reads and deletes the hook objects (the HelmRelease's ServiceAccount, if any). */
  readonly client: KubeClient;
  readonly storage: ReleaseStorage;
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly hr: HelmRelease;
  readonly draft: HelmReleaseStatusDraft;
  /** The latest release, the one tested. */
  readonly release: Snapshot;
  /** Labels and default namespace given to the hook objects (the release's). */
  readonly owner: ApplyOwner;
  readonly nowMs: number;
  /** Per hook: `test.timeout`, else `spec.timeout`. */
  readonly timeoutMs: number;
  /** How soon to look again at a running hook. */
  readonly pollMs: number;
  /** How soon to look again once tests passed (or failed, ignored). */
  readonly doneRequeueMs: number;
}

const errorText = (err: unknown) =>
  err instanceof KubeError
    ? (err.serverMessage ?? err.message)
    : err instanceof Error
      ? err.message
      : String(err);

/** A Pod refused because its namespace's `default` ServiceAccount is not made yet (a new namespace). */
const isNamespaceStarting = (err: KubeError) =>
  isForbidden(err) && /error looking up service account/.test(err.serverMessage ?? err.message);

type Outcome =
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'failed'; readonly why: string };

/**
 * Runs the latest release's test hooks as Helm's `helm test` does, one step per reconcile, with the
 * hooks' states kept in the snapshot's `testHooks` (so a restart carries on): the first hook not
 * yet done is created (its old object deleted first under `before-hook-creation`) or watched until
 * its Pod (or Job) succeeds, fails or runs out of time; the first failure ends the run. At the end
 * the `hook-succeeded` / `hook-failed` objects are deleted, TestSuccess and the Event say how it
 * went and the stored release keeps the hooks' last runs. Returns when to look again.
 */
export async function runReleaseTests(r: ReleaseTestRun): Promise<number> {
  const { release: rel, draft } = r;
  const now = toKubeTime(r.nowMs);
  const stored = await r.storage.get(rel.namespace, rel.name, rel.version);
  const hooks = selectedTestHooks(stored?.hooks ?? [], r.hr.spec.test?.filters);
  const states: Record<string, TestHookStatus> = { ...(rel.testHooks ?? initialTestHookStates(hooks)) };
  const record = () => recordTestHooks(draft, rel.version, { ...states });
  const outcome = await step(r, hooks, states, now);
  record();
  if (outcome?.kind === 'wait') return outcome.ms;
  await cleanUp(r, hooks, states);
  if (stored) {
    const lastRuns = (stored.hooks ?? []).map((h) => {
      const s = states[h.name];
      if (!s?.phase) return h;
      return {
        ...h,
        lastRun: {
          ...(s.lastStarted && { startedAt: s.lastStarted }),
          ...(s.lastCompleted && { completedAt: s.lastCompleted }),
          phase: s.phase,
        },
      };
    });
    await r.storage.save({ ...stored, hooks: lastRuns });
  }
  const release = { ...rel, testHooks: { ...states } };
  if (outcome === undefined) {
    const message = markTestSucceeded(draft, r.hr.spec, release, states);
    r.logger.info({ version: rel.version, hooks: hooks.length }, 'helm release tests succeeded');
    r.events.normal(r.hr, 'TestSucceeded', message);
    return r.doneRequeueMs;
  }
  const message = markTestFailed(draft, r.hr.spec, release, outcome.why);
  r.logger.warn({ version: rel.version }, 'helm release tests failed');
  r.events.warning(r.hr, 'TestFailed', message);
  const lastAction = draft.build().lastAttemptedReleaseAction;
  // a failure that counts is remediated right away; an ignored one waits for the interval
  return lastAction !== undefined && !ignoresTestFailures(r.hr.spec, lastAction) ? 1_000 : r.doneRequeueMs;
}

/** Advances the run as far as it can now: undefined when every hook succeeded. */
async function step(
  r: ReleaseTestRun,
  hooks: readonly StoredHook[],
  states: Record<string, TestHookStatus>,
  now: string,
): Promise<Outcome | undefined> {
  for (;;) {
    const next = nextTestRunStep(hooks, states);
    if (next.kind === 'succeeded') return undefined;
    if (next.kind === 'failed') return { kind: 'failed', why: 'a test hook failed' };
    const { hook } = next;
    let obj: KubeObject;
    try {
      obj = await hookObject(r, hook);
    } catch (err) {
      states[hook.name] = { lastStarted: now, lastCompleted: now, phase: TestHookPhase.Failed };
      return {
        kind: 'failed',
        why: `unable to build kubernetes object for test hook ${hook.path}: ${errorText(err)}`,
      };
    }
    let current: KubeObject | undefined;
    try {
      if (next.kind === 'start') {
        if (hasDeletePolicy(hook, HookDeletePolicy.BeforeHookCreation)) {
          const old = await r.client.getIfExists(obj);
          if (old) {
            if (!old.metadata.deletionTimestamp) await remove(r.client, obj);
            return { kind: 'wait', ms: Math.min(r.pollMs, 1_000) };
          }
        }
        states[hook.name] = { lastStarted: now, phase: TestHookPhase.Running };
        await r.client.create(obj, { fieldManager: FLUX_FIELD_MANAGER });
        return { kind: 'wait', ms: r.pollMs };
      }
      current = await r.client.getIfExists(obj);
    } catch (err) {
      // Helm fails the test on any error of its client; only a passing outage is retried
      if (isRetryable(err) || !(err instanceof KubeError) || isNamespaceStarting(err)) throw err;
      states[hook.name] = {
        lastStarted: now,
        ...states[hook.name],
        lastCompleted: now,
        phase: TestHookPhase.Failed,
      };
      return {
        kind: 'failed',
        why:
          next.kind === 'start'
            ? `warning: Hook test ${hook.path} failed: ${errorText(err)}`
            : errorText(err),
      };
    }
    const seen = assessRunningHook(observeHookObject(obj, current), next.startedMs, r.nowMs, r.timeoutMs);
    if (seen.phase === 'Running')
      return { kind: 'wait', ms: Math.max(100, Math.min(r.pollMs, next.startedMs + r.timeoutMs - r.nowMs)) };
    states[hook.name] = { ...states[hook.name], lastCompleted: now, phase: seen.phase };
    if (seen.phase === 'Failed') return { kind: 'failed', why: seen.message };
  }
}

/** Helm's deletions after a run: `hook-failed` for the failed hook, `hook-succeeded` for those that passed. */
async function cleanUp(
  r: ReleaseTestRun,
  hooks: readonly StoredHook[],
  states: Record<string, TestHookStatus>,
) {
  for (const hook of hooks) {
    const phase = states[hook.name]?.phase;
    const policy =
      phase === TestHookPhase.Succeeded
        ? HookDeletePolicy.HookSucceeded
        : phase === TestHookPhase.Failed
          ? HookDeletePolicy.HookFailed
          : undefined;
    if (policy === undefined || !hasDeletePolicy(hook, policy)) continue;
    try {
      await remove(r.client, await hookObject(r, hook));
    } catch (err) {
      r.logger.warn({ err, hook: hook.name }, 'cannot delete a test hook');
    }
  }
}

async function hookObject(r: ReleaseTestRun, hook: StoredHook): Promise<KubeObject> {
  const [obj] = parseManifests(hook.manifest, `test hook ${hook.path}`);
  if (!obj) throw new Error('empty manifest');
  const [prepared] = await prepareOwnedObjects(r.client, r.owner, [obj]);
  if (!prepared) throw new Error('empty manifest');
  return prepared;
}

const refOf = (o: KubeObject) => ({
  apiVersion: o.apiVersion ?? '',
  kind: o.kind ?? '',
  name: o.metadata.name ?? '',
  ...(o.metadata.namespace && { namespace: o.metadata.namespace }),
});

async function remove(client: KubeClient, o: KubeObject): Promise<void> {
  try {
    await client.delete(refOf(o), { propagationPolicy: 'Background' });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
