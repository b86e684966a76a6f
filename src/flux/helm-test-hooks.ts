// A chart's test hooks as Helm v4 sorts, filters, runs and judges them (pkg/release/v1/util's
// manifest sorter, pkg/action's ReleaseTesting and execHook, its Pod and Job status readers) and as
// helm-controller v1.6.4 records them (internal/release's TestHooksFromRelease, api/v2 Snapshot). Pure.
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/index.js';
import type { HelmTestFilter, Snapshot, TestHookStatus } from './helm-types.js';
import type { StoredHook } from './release-storage.js';

const HOOK = 'helm.sh/hook';
const HOOK_WEIGHT = 'helm.sh/hook-weight';
const HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';

/** Helm's hook phases as a snapshot records them. */
export const TestHookPhase = { Running: 'Running', Succeeded: 'Succeeded', Failed: 'Failed' } as const;

/** Helm's hook delete policies. */
export const HookDeletePolicy = {
  BeforeHookCreation: 'before-hook-creation',
  HookSucceeded: 'hook-succeeded',
  HookFailed: 'hook-failed',
} as const;

const annotationList = (o: KubeObject, key: string): string[] | undefined => {
  const raw = o.metadata.annotations?.[key];
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
};

/**
 * Whether Helm runs the object as a test: a hook event `test` or Helm 2's `test-success`. (An object
 * with an event Helm does not know, such as Helm 2's `test-failure`, is dropped by `helm template`.)
 */
export function isTestHook(o: KubeObject): boolean {
  const events = annotationList(o, HOOK)?.map((e) => e.toLowerCase()) ?? [];
  return events.includes('test') || events.includes('test-success');
}

/** The rendered objects without the test hooks (those are never applied with the release). */
export function withoutTestHooks(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => !isTestHook(o));
}

/** A test hook as the release stores it: name, kind, manifest, weight and delete policies. */
export function storedTestHook(o: KubeObject): StoredHook {
  const name = o.metadata.name ?? '';
  const kind = o.kind ?? '';
  // Go's strconv.Atoi: a whole number or nothing (0)
  const raw = o.metadata.annotations?.[HOOK_WEIGHT]?.trim() ?? '0';
  const weight = /^[-+]?\d+$/.test(raw) ? Number.parseInt(raw, 10) : 0;
  return {
    name,
    kind,
    path: `${kind}/${name}`,
    manifest: stringify(o),
    events: ['test'],
    weight,
    deletePolicies: annotationList(o, HOOK_DELETE_POLICY)?.map((p) => p.toLowerCase()) ?? [],
  };
}

/** Splits a render into the release's objects and its test hooks. */
export function splitTestHooks(objects: readonly KubeObject[]): {
  readonly objects: KubeObject[];
  readonly tests: StoredHook[];
} {
  return { objects: withoutTestHooks(objects), tests: objects.filter(isTestHook).map(storedTestHook) };
}

/** helm-controller's isTestHookSelected: an exclude wins; with any include, only the included run. */
export function isTestHookSelected(name: string, filters: readonly HelmTestFilter[] = []): boolean {
  let hasInclude = false;
  let included = false;
  for (const f of filters) {
    if (f.exclude) {
      if (f.name === name) return false;
      continue;
    }
    hasInclude = true;
    if (f.name === name) included = true;
  }
  return !hasInclude || included;
}

/** The test hooks a test run executes, in Helm's order: weight, then name. */
export function selectedTestHooks(
  hooks: readonly StoredHook[],
  filters: readonly HelmTestFilter[] = [],
): StoredHook[] {
  return hooks
    .filter((h) => h.events.includes('test') && isTestHookSelected(h.name, filters))
    .sort((a, b) =>
      a.weight === b.weight ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.weight - b.weight,
    );
}

/** Helm's hookSetDeletePolicy: none given means `before-hook-creation`. */
export function hasDeletePolicy(hook: StoredHook, policy: string): boolean {
  const policies =
    hook.deletePolicies.length > 0 ? hook.deletePolicies : [HookDeletePolicy.BeforeHookCreation];
  return policies.includes(policy);
}

/** helm-controller's Snapshot.HasBeenTested: results observed (an empty map: no selected tests). */
export function hasBeenTested(s: Snapshot | undefined): boolean {
  const hooks = s?.testHooks;
  if (hooks === undefined) return false;
  const all = Object.values(hooks);
  if (all.some((h) => h.phase === TestHookPhase.Failed)) return true;
  return all.every((h) => h.phase === TestHookPhase.Succeeded);
}

/** helm-controller's Snapshot.HasTestInPhase. */
export function hasTestInPhase(s: Snapshot | undefined, phase: string): boolean {
  return Object.values(s?.testHooks ?? {}).some((h) => h.phase === phase);
}

/** What one look at a running hook's object says. */
export type HookObservation =
  | { readonly phase: 'Running'; readonly message: string }
  | { readonly phase: 'Succeeded' }
  | { readonly phase: 'Failed'; readonly message: string };

interface JobCondition {
  readonly type?: string;
  readonly status?: string;
}

/** Helm's `resource Kind/ns/name not ready. status: S, message: M`. */
function notReady(hook: KubeObject, status: string, message: string): string {
  return `resource ${hook.kind ?? ''}/${hook.metadata.namespace ?? ''}/${hook.metadata.name ?? ''} not ready. status: ${status}, message: ${message}`;
}

/**
 * Helm's hook status readers: a Pod is done when Succeeded, failed when Failed; a Job is done when
 * Complete, failed when Failed; any other kind is done once it exists. A hook object gone while it
 * runs has failed. `hook` is the object as created (kind, namespace, name).
 */
export function observeHookObject(hook: KubeObject, live: KubeObject | undefined): HookObservation {
  if (!live) return { phase: 'Failed', message: notReady(hook, 'NotFound', 'Resource not found') };
  const status = (live as { status?: Record<string, unknown> }).status ?? {};
  if (hook.kind === 'Pod') {
    const name = hook.metadata.name ?? '';
    if (status.phase === 'Succeeded') return { phase: 'Succeeded' };
    if (status.phase === 'Failed')
      return { phase: 'Failed', message: notReady(hook, 'Failed', `pod ${name} failed`) };
    return { phase: 'Running', message: notReady(hook, 'InProgress', 'Pod in progress') };
  }
  if (hook.kind === 'Job') {
    const spec = (live as { spec?: { parallelism?: number; completions?: number } }).spec ?? {};
    const completions = spec.completions ?? spec.parallelism ?? 1;
    const conditions = (status.conditions as readonly JobCondition[] | undefined) ?? [];
    if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { phase: 'Succeeded' };
    if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) {
      const failed = typeof status.failed === 'number' ? status.failed : 0;
      return {
        phase: 'Failed',
        message: notReady(hook, 'Failed', `Job Failed. failed: ${failed}/${completions}`),
      };
    }
    return { phase: 'Running', message: notReady(hook, 'InProgress', 'Job in progress') };
  }
  return { phase: 'Succeeded' };
}

/** Where a test run stands: the next hook to start or watch, or its end. */
export type TestRunStep =
  | { readonly kind: 'start'; readonly hook: StoredHook }
  | { readonly kind: 'watch'; readonly hook: StoredHook; readonly startedMs: number }
  | { readonly kind: 'succeeded' }
  | { readonly kind: 'failed' };

/**
 * The next step of a test run from the recorded hook states (hooks in run order): the first hook
 * not yet Succeeded is started (no state) or watched (Running); a Failed one ends the run, as Helm
 * stops at the first failing test.
 */
export function nextTestRunStep(
  hooks: readonly StoredHook[],
  states: Readonly<Record<string, TestHookStatus>>,
): TestRunStep {
  for (const hook of hooks) {
    const s = states[hook.name];
    if (s?.phase === TestHookPhase.Succeeded) continue;
    if (s?.phase === TestHookPhase.Failed) return { kind: 'failed' };
    if (s?.phase === TestHookPhase.Running) {
      const startedMs = s.lastStarted ? Date.parse(s.lastStarted) : Number.NaN;
      if (!Number.isNaN(startedMs)) return { kind: 'watch', hook, startedMs };
    }
    return { kind: 'start', hook };
  }
  return { kind: 'succeeded' };
}

/** The timeout text Helm adds when a hook's wait runs out (Go's context error). */
export const HOOK_TIMEOUT_TEXT = 'context deadline exceeded';

/** One hook's outcome after a look at its object, its wait bounded by `timeoutMs` from its start. */
export function assessRunningHook(
  observation: HookObservation,
  startedMs: number,
  nowMs: number,
  timeoutMs: number,
): HookObservation {
  if (observation.phase !== 'Running') return observation;
  if (nowMs - startedMs < timeoutMs) return observation;
  return { phase: 'Failed', message: `${observation.message}\n${HOOK_TIMEOUT_TEXT}` };
}

/** The hooks' states at the start of a run: every selected hook, none run yet. */
export function initialTestHookStates(hooks: readonly StoredHook[]): Record<string, TestHookStatus> {
  return Object.fromEntries(hooks.map((h) => [h.name, {}]));
}

/** helm-controller's success text: `no test hooks`, `1 test hook completed successfully`, `N test hooks …`. */
export function testHooksSummary(states: Readonly<Record<string, TestHookStatus>>): string {
  const n = Object.keys(states).length;
  if (n === 0) return 'no test hooks';
  return `${n} test ${n > 1 ? 'hooks' : 'hook'} completed successfully`;
}
