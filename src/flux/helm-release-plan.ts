import type { HelmReleaseSpec, Remediation, Snapshot } from './helm-types.js';

/** The release a HelmRelease asks for now. */
export interface DesiredRelease {
  readonly chartName: string;
  readonly chartVersion: string;
  readonly configDigest: string;
  /** A new generation changed `spec.postRenderers` (helm-controller: out of sync, upgrade). */
  readonly postRenderersChanged?: boolean;
  /** The OCI digest of a chart from an OCIRepository (helm-controller's `lastAttemptedRevisionDigest`). */
  readonly ociDigest?: string;
}

export interface FailureCounts {
  readonly installFailures: number;
  readonly upgradeFailures: number;
}

export type ReleaseAction =
  /** The latest release is deployed as desired: apply again (heals drift), no new version. */
  | { readonly kind: 'in-sync'; readonly release: Snapshot }
  /** The latest release is pending: keep waiting for its objects. */
  | { readonly kind: 'wait'; readonly release: Snapshot }
  | { readonly kind: 'install' }
  | { readonly kind: 'upgrade' }
  /** Undo the failed release: `uninstall` (an install) or `rollback` to `to` (an upgrade). */
  | { readonly kind: 'uninstall'; readonly failed: Snapshot }
  | { readonly kind: 'rollback'; readonly failed: Snapshot; readonly to: Snapshot }
  /** Out of retries: nothing is done until the spec, chart or values change. */
  | { readonly kind: 'stalled'; readonly action: 'install' | 'upgrade'; readonly attempts: number };

/** Whether a release is the desired one: same chart, version and values. Pure. */
export const matches = (s: Snapshot, d: DesiredRelease) =>
  s.chartName === d.chartName && s.chartVersion === d.chartVersion && s.configDigest === d.configDigest;

/** helm-controller's RetriesExhausted: a negative retries is unlimited. Pure. */
export function retriesExhausted(r: Remediation | undefined, failures: number): boolean {
  const retries = r?.retries ?? 0;
  return retries >= 0 && failures > retries;
}

/** RemediateLastFailure: defaults to true when retries are configured. Pure. */
function remediateLast(r: Remediation | undefined): boolean {
  return r?.remediateLastFailure ?? (r?.retries ?? 0) !== 0;
}

/**
 * helm-controller's atomic release loop as one decision over the history (newest first), the
 * desired release and the failure counts of the current attempt: install, upgrade, wait, remediate
 * (uninstall a failed install, roll a failed upgrade back to the previous deployed release) or stop
 * when the retries are used up. Pure.
 */
export function decideRelease(
  spec: HelmReleaseSpec,
  history: readonly Snapshot[],
  desired: DesiredRelease,
  counts: FailureCounts,
): ReleaseAction {
  const latest = history[0];
  const installR = spec.install?.remediation;
  const upgradeR = spec.upgrade?.remediation;
  const deployedBefore = history.slice(1).find((s) => s.status === 'deployed' || s.status === 'superseded');
  if (!latest || latest.status === 'uninstalled') {
    if (counts.installFailures > 0 && retriesExhausted(installR, counts.installFailures))
      return { kind: 'stalled', action: 'install', attempts: counts.installFailures };
    return { kind: 'install' };
  }
  if (latest.status.startsWith('pending-') && matches(latest, desired))
    return { kind: 'wait', release: latest };
  if (latest.status === 'failed') {
    const isInstall = latest.action === 'install' || !deployedBefore;
    const r = isInstall ? installR : upgradeR;
    const failures = isInstall ? counts.installFailures : counts.upgradeFailures;
    // a new chart or config after a failure is a fresh attempt
    if (failures === 0 && !matches(latest, desired))
      return isInstall ? { kind: 'install' } : { kind: 'upgrade' };
    const exhausted = retriesExhausted(r, failures);
    const remediate = exhausted ? remediateLast(r) : (r?.retries ?? 0) !== 0;
    if (remediate) {
      if (!isInstall && deployedBefore && (r?.strategy ?? 'rollback') === 'rollback')
        return { kind: 'rollback', failed: latest, to: deployedBefore };
      return { kind: 'uninstall', failed: latest };
    }
    if (exhausted) return { kind: 'stalled', action: isInstall ? 'install' : 'upgrade', attempts: failures };
    return isInstall ? { kind: 'install' } : { kind: 'upgrade' };
  }
  if (matches(latest, desired) && latest.status === 'deployed' && !desired.postRenderersChanged)
    return { kind: 'in-sync', release: latest };
  // deployed (or rolled back) but not as desired
  if (counts.upgradeFailures > 0 && retriesExhausted(upgradeR, counts.upgradeFailures))
    return { kind: 'stalled', action: 'upgrade', attempts: counts.upgradeFailures };
  return { kind: 'upgrade' };
}
