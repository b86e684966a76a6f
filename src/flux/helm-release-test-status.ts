// HelmRelease `spec.test` in the release decision and the status, as helm-controller v1.6.4 has it
// (internal/reconcile: state.go's Untested and test-failed states, test.go's conditions and
// counters, release.go's summarize). Pure.
import { FluxConditionType } from './conditions.js';
import {
  type DesiredRelease,
  decideRelease,
  type FailureCounts,
  matches,
  type ReleaseAction,
} from './helm-release-plan.js';
import { HelmConditionType, HelmReason, type HelmReleaseStatusDraft } from './helm-release-status.js';
import { hasBeenTested, hasTestInPhase, TestHookPhase, testHooksSummary } from './helm-test-hooks.js';
import type { HelmReleaseSpec, Snapshot, TestHookStatus } from './helm-types.js';

/** The TestSuccess reason while tests are due (helm-controller's `AwaitingTests`). */
export const AWAITING_TESTS_REASON = 'AwaitingTests';

/** A release action, or running the latest release's tests. */
export type ReleaseStep = ReleaseAction | { readonly kind: 'test'; readonly release: Snapshot };

type ReleaseKind = 'install' | 'upgrade';

/**
 * helm-controller's MustIgnoreTestFailures for the active remediation (the one of the last attempted
 * action): its `ignoreTestFailures`, else `test.ignoreFailures`.
 */
export function ignoresTestFailures(spec: HelmReleaseSpec, lastAction: ReleaseKind | undefined): boolean {
  const remediation =
    lastAction === 'install'
      ? spec.install?.remediation
      : lastAction === 'upgrade'
        ? spec.upgrade?.remediation
        : undefined;
  return remediation?.ignoreTestFailures ?? spec.test?.ignoreFailures ?? false;
}

/**
 * decideRelease with tests: a deployed, desired release that tests are enabled for and that has not
 * been tested is tested; one whose test failed (failures not ignored by the active remediation) is a
 * failed release, remediated or retried as configured.
 */
export function decideReleaseStep(
  spec: HelmReleaseSpec,
  history: readonly Snapshot[],
  desired: DesiredRelease,
  counts: FailureCounts,
  lastAction: ReleaseKind | undefined,
): ReleaseStep {
  const latest = history[0];
  if (spec.test?.enable && latest?.status === 'deployed' && matches(latest, desired)) {
    if (!hasBeenTested(latest)) return { kind: 'test', release: latest };
    if (
      lastAction !== undefined &&
      !ignoresTestFailures(spec, lastAction) &&
      hasTestInPhase(latest, TestHookPhase.Failed)
    )
      return decideRelease(spec, [{ ...latest, status: 'failed' }, ...history.slice(1)], desired, counts);
  }
  return decideRelease(spec, history, desired, counts);
}

const fullName = (s: Snapshot) => `${s.namespace}/${s.name}.v${s.version}`;
const chartOf = (s: Snapshot) => `${s.chartName}@${s.chartVersion}`;

/**
 * helm-controller's summarize for TestSuccess: without tests the condition goes; with tests whose
 * failures count (`ignoreFailures` unset), Ready follows TestSuccess unless a remediation happened.
 */
export function summarizeTests(draft: HelmReleaseStatusDraft, spec: HelmReleaseSpec): void {
  if (!spec.test?.enable) {
    draft.drop(HelmConditionType.TestSuccess);
    return;
  }
  if (spec.test.ignoreFailures || draft.condition(HelmConditionType.Remediated)) return;
  const tests = draft.condition(HelmConditionType.TestSuccess);
  if (!tests) return;
  draft.set(FluxConditionType.Ready, tests.status, tests.reason ?? '', tests.message ?? '');
  if (tests.status === 'True') draft.drop(FluxConditionType.Stalled);
}

/**
 * After an install or upgrade succeeded: with tests enabled, TestSuccess is Unknown
 * (`AwaitingTests`) until they ran. Returns whether tests are due.
 */
export function awaitTests(draft: HelmReleaseStatusDraft, spec: HelmReleaseSpec): boolean {
  const latest = draft.history()[0];
  const due = spec.test?.enable === true && latest !== undefined && !hasBeenTested(latest);
  if (due)
    draft.set(
      HelmConditionType.TestSuccess,
      'Unknown',
      AWAITING_TESTS_REASON,
      `Helm release ${fullName(latest)} with chart ${chartOf(latest)} is awaiting tests`,
    );
  summarizeTests(draft, spec);
  return due;
}

/** Records the test hooks' states on the release's snapshot. */
export function recordTestHooks(
  draft: HelmReleaseStatusDraft,
  version: number,
  hooks: Readonly<Record<string, TestHookStatus>>,
): void {
  draft.editFields((f) => ({
    ...f,
    history: (f.history ?? []).map((s) => (s.version === version ? { ...s, testHooks: hooks } : s)),
  }));
}

/** TestSuccess True with helm-controller's message; returns the message (the Event's). */
export function markTestSucceeded(
  draft: HelmReleaseStatusDraft,
  spec: HelmReleaseSpec,
  release: Snapshot,
  hooks: Readonly<Record<string, TestHookStatus>>,
): string {
  const message = `Helm test succeeded for release ${fullName(release)} with chart ${chartOf(release)}: ${testHooksSummary(hooks)}`;
  draft.set(HelmConditionType.TestSuccess, 'True', HelmReason.TestSucceeded, message);
  summarizeTests(draft, spec);
  return message;
}

/**
 * TestSuccess False with helm-controller's message; the failure counts, and for the active
 * remediation unless it ignores test failures. Returns the message (the Event's).
 */
export function markTestFailed(
  draft: HelmReleaseStatusDraft,
  spec: HelmReleaseSpec,
  release: Snapshot,
  why: string,
): string {
  const message = `Helm test failed for release ${fullName(release)} with chart ${chartOf(release)}: ${why.trim()}`;
  const lastAction = draft.build().lastAttemptedReleaseAction;
  const counter =
    lastAction === undefined || ignoresTestFailures(spec, lastAction)
      ? undefined
      : lastAction === 'install'
        ? 'installFailures'
        : 'upgradeFailures';
  draft.editFields((f) => ({
    ...f,
    failures: (f.failures ?? 0) + 1,
    ...(counter !== undefined && { [counter]: (f[counter] ?? 0) + 1 }),
  }));
  draft.set(HelmConditionType.TestSuccess, 'False', HelmReason.TestFailed, message);
  summarizeTests(draft, spec);
  return message;
}
