import { createHash } from 'node:crypto';
import type { ConditionStatus } from '../core/index.js';
import {
  deleteFluxCondition,
  FluxConditionType,
  type FluxReason,
  setFluxCondition,
  withRetryReason,
} from './conditions.js';
import type { DesiredRelease, FailureCounts } from './helm-release-plan.js';
import { postRenderersDigest } from './helm-release-post-render.js';
import type { HelmRelease, HelmReleaseStatus, Snapshot } from './helm-types.js';
import { RECONCILE_REQUEST_ANNOTATION } from './kustomization-status.js';
import type { FluxCondition, ResourceRef } from './types.js';

/** helm-controller's condition types and reasons (api/v2 condition_types.go), exact strings. */
export const HelmConditionType = {
  Released: 'Released',
  TestSuccess: 'TestSuccess',
  Remediated: 'Remediated',
  Drifted: 'Drifted',
} as const;
export const HelmReason = {
  InstallSucceeded: 'InstallSucceeded',
  InstallFailed: 'InstallFailed',
  UpgradeSucceeded: 'UpgradeSucceeded',
  UpgradeFailed: 'UpgradeFailed',
  TestSucceeded: 'TestSucceeded',
  TestFailed: 'TestFailed',
  RollbackSucceeded: 'RollbackSucceeded',
  RollbackFailed: 'RollbackFailed',
  UninstallSucceeded: 'UninstallSucceeded',
  UninstallFailed: 'UninstallFailed',
  ArtifactFailed: 'ArtifactFailed',
  DependencyNotReady: 'DependencyNotReady',
  RetriesExceeded: 'RetriesExceeded',
  /** Ready False when the cluster state could not be compared (helm-controller's atomic release). */
  StateError: 'StateError',
  DriftDetected: 'DriftDetected',
  NoDriftDetected: 'NoDriftDetected',
  /** Event reasons of a drift correction (helm-controller's CorrectClusterDrift). */
  DriftCorrected: 'DriftCorrected',
  DriftCorrectionFailed: 'DriftCorrectionFailed',
} as const;

/** helm-controller's default `maxHistory`. */
const DEFAULT_MAX_HISTORY = 5;

type Kind = 'install' | 'upgrade';
const title = (k: Kind) => (k === 'install' ? 'install' : 'upgrade');

/**
 * The status one HelmRelease reconcile builds and writes once: conditions (Ready, Released,
 * Remediated, Stalled, Reconciling) with helm-controller's reasons and messages, history snapshots
 * (newest first), failure counters, the last attempt and the inventory. Pure.
 */
export class HelmReleaseStatusDraft {
  private conditions: readonly FluxCondition[];
  private fields: Omit<HelmReleaseStatus, 'conditions'>;
  private desired: DesiredRelease | undefined;

  constructor(
    private readonly hr: HelmRelease,
    private readonly now: string,
  ) {
    const { conditions, ...rest } = hr.status ?? {};
    this.conditions = conditions ?? [];
    this.fields = rest;
  }

  /** The generation (and its post-renderers' digest) this reconcile acted on, as helm-controller's summarize records them. */
  private observe(): void {
    const { observedPostRenderersDigest: _previous, ...rest } = this.fields;
    const digest = postRenderersDigest(this.hr.spec.postRenderers);
    this.fields = {
      ...rest,
      observedGeneration: this.hr.metadata.generation ?? 0,
      ...(digest && { observedPostRenderersDigest: digest }),
    };
  }

  condition(type: string): FluxCondition | undefined {
    return this.conditions.find((c) => c.type === type);
  }

  set(type: string, status: ConditionStatus, reason: string, message: string): this {
    this.conditions = setFluxCondition(
      this.conditions,
      { type: type as FluxConditionType, status, reason: reason as FluxReason, message },
      this.hr.metadata.generation,
      this.now,
    );
    return this;
  }

  drop(type: string): this {
    this.conditions = deleteFluxCondition(this.conditions, type as FluxConditionType);
    return this;
  }

  /** Changes plain status fields (history, counters) through `edit`. */
  editFields(
    edit: (f: Omit<HelmReleaseStatus, 'conditions'>) => Omit<HelmReleaseStatus, 'conditions'>,
  ): this {
    this.fields = edit(this.fields);
    return this;
  }

  readyMessage(): string {
    return this.condition(FluxConditionType.Ready)?.message ?? '';
  }

  notReady(reason: string, message: string): this {
    return this.set(FluxConditionType.Ready, 'False', reason, message);
  }

  helmChart(ref: string): this {
    this.fields = { ...this.fields, helmChart: ref };
    return this;
  }

  /** Records the attempt; a new generation, chart version or config starts the failure counts over. */
  attempt(generation: number, desired: DesiredRelease): this {
    this.desired = desired;
    const f = this.fields;
    const fresh =
      f.lastAttemptedGeneration !== generation ||
      f.lastAttemptedRevision !== desired.chartVersion ||
      f.lastAttemptedConfigDigest !== desired.configDigest;
    const { lastAttemptedRevisionDigest: _digest, ...rest } = f;
    this.fields = {
      ...rest,
      ...(fresh && { failures: 0, installFailures: 0, upgradeFailures: 0 }),
      lastAttemptedGeneration: generation,
      lastAttemptedRevision: desired.chartVersion,
      ...(desired.ociDigest && { lastAttemptedRevisionDigest: desired.ociDigest }),
      lastAttemptedConfigDigest: desired.configDigest,
    };
    if (fresh) this.drop(FluxConditionType.Stalled);
    return this;
  }

  history(): readonly Snapshot[] {
    return [...(this.fields.history ?? [])].sort((a, b) => b.version - a.version);
  }

  failureCounts(): FailureCounts {
    return {
      installFailures: this.fields.installFailures ?? 0,
      upgradeFailures: this.fields.upgradeFailures ?? 0,
    };
  }

  inventory(): readonly ResourceRef[] {
    return this.fields.inventory?.entries ?? [];
  }

  inventoryEntries(entries: readonly ResourceRef[]): this {
    this.fields = { ...this.fields, inventory: { entries } };
    return this;
  }

  nextVersion(): number {
    return Math.max(0, ...(this.fields.history ?? []).map((s) => s.version)) + 1;
  }

  /** A new release version at the head of the history, trimmed to `maxHistory`. */
  released(
    base: Pick<Snapshot, 'name' | 'namespace' | 'version' | 'chartName' | 'chartVersion' | 'configDigest'> &
      Pick<Snapshot, 'ociDigest'>,
    action: Kind | 'rollback',
    status: string,
    now: string,
  ): Snapshot {
    const older = this.history();
    // helm-controller: a new release records the attempt's OCI digest, a rollback its target's
    const ociDigest = action === 'rollback' ? base.ociDigest : this.desired?.ociDigest;
    const snap: Snapshot = {
      apiVersion: 'v2',
      name: base.name,
      namespace: base.namespace,
      version: base.version,
      chartName: base.chartName,
      chartVersion: base.chartVersion,
      configDigest: base.configDigest,
      digest: `sha256:${createHash('sha256')
        .update(JSON.stringify([base, status, now]))
        .digest('hex')}`,
      firstDeployed: older.at(-1)?.firstDeployed ?? now,
      lastDeployed: now,
      status,
      action,
      ...(ociDigest && { ociDigest }),
    };
    const max = this.hr.spec.maxHistory ?? DEFAULT_MAX_HISTORY;
    const history = [snap, ...older].slice(0, max > 0 ? max : undefined);
    this.fields = {
      ...this.fields,
      history,
      ...(action !== 'rollback' && { lastAttemptedReleaseAction: action }),
    };
    return snap;
  }

  /** The snapshot of `rel.version` with a new status. */
  finish(rel: Snapshot, status: string): Snapshot {
    const snap = { ...rel, status };
    this.fields = {
      ...this.fields,
      history: this.history().map((s) => (s.version === rel.version ? snap : s)),
    };
    return snap;
  }

  /** Deployed snapshots older than `version` become superseded; returns them. */
  supersedeOlder(version: number): Snapshot[] {
    const changed: Snapshot[] = [];
    this.fields = {
      ...this.fields,
      history: this.history().map((s) => {
        if (s.version >= version || s.status !== 'deployed') return s;
        const next = { ...s, status: 'superseded' };
        changed.push(next);
        return next;
      }),
    };
    return changed;
  }

  progressing(message: string): this {
    return this.set(FluxConditionType.Reconciling, 'True', 'Progressing', message).set(
      FluxConditionType.Ready,
      'Unknown',
      'Progressing',
      message,
    );
  }

  failed(kind: Kind, releaseNs: string, releaseName: string, why: string): this {
    const d = this.desired;
    const message = `Helm ${title(kind)} failed for release ${releaseNs}/${releaseName} with chart ${d?.chartName ?? ''}@${d?.chartVersion ?? ''}: ${why.trim()}`;
    const counter = kind === 'install' ? 'installFailures' : 'upgradeFailures';
    this.fields = {
      ...this.fields,
      failures: (this.fields.failures ?? 0) + 1,
      [counter]: (this.fields[counter] ?? 0) + 1,
    };
    const reason = kind === 'install' ? HelmReason.InstallFailed : HelmReason.UpgradeFailed;
    return this.set(HelmConditionType.Released, 'False', reason, message).set(
      FluxConditionType.Ready,
      'False',
      reason,
      message,
    );
  }

  succeeded(kind: Kind): this {
    const latest = this.history()[0];
    const reason = kind === 'install' ? HelmReason.InstallSucceeded : HelmReason.UpgradeSucceeded;
    const message = `Helm ${title(kind)} succeeded for release ${latest?.namespace ?? ''}/${latest?.name ?? ''}.v${latest?.version ?? 0} with chart ${latest?.chartName ?? ''}@${latest?.chartVersion ?? ''}`;
    this.drop(FluxConditionType.Reconciling)
      .drop(FluxConditionType.Stalled)
      .drop(HelmConditionType.Remediated);
    this.observe();
    return this.set(HelmConditionType.Released, 'True', reason, message).set(
      FluxConditionType.Ready,
      'True',
      reason,
      message,
    );
  }

  /** In sync: Ready mirrors Released (the last release's outcome). */
  inSync(): this {
    const released = this.condition(HelmConditionType.Released);
    this.drop(FluxConditionType.Reconciling).drop(FluxConditionType.Stalled);
    this.observe();
    if (released?.status === 'True')
      this.set(FluxConditionType.Ready, 'True', released.reason ?? '', released.message ?? '');
    return this;
  }

  /** Drift found on an up-to-date release (helm-controller's Drifted=True, DriftDetected). */
  drifted(message: string): this {
    return this.set(HelmConditionType.Drifted, 'True', HelmReason.DriftDetected, message);
  }

  noDrift(): this {
    return this.set(
      HelmConditionType.Drifted,
      'False',
      HelmReason.NoDriftDetected,
      'No drift detected against the cluster state',
    );
  }

  /** Drift detection is off: no Drifted condition left from when it was on. */
  forgetDrift(): this {
    return this.drop(HelmConditionType.Drifted);
  }

  /** A remediation's outcome: Remediated, and Ready False with its reason (a remediated release is not ready). */
  remediated(reason: string, message: string, status: ConditionStatus = 'True'): this {
    return this.set(HelmConditionType.Remediated, status, reason, message).set(
      FluxConditionType.Ready,
      'False',
      reason,
      message,
    );
  }

  stalled(kind: Kind, attempts: number): this {
    const message = `Failed to ${kind} after ${attempts} attempt(s)`;
    this.drop(FluxConditionType.Reconciling);
    this.observe();
    this.set(FluxConditionType.Stalled, 'True', HelmReason.RetriesExceeded, message);
    const ready = this.condition(FluxConditionType.Ready);
    if (ready?.status !== 'False')
      this.set(FluxConditionType.Ready, 'False', HelmReason.RetriesExceeded, message);
    return this;
  }

  build(): HelmReleaseStatus {
    const requested = this.hr.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
    return {
      ...this.fields,
      // Slipway keeps the release Secrets in the release namespace (Flux: spec.storageNamespace, else the object's)
      storageNamespace: this.hr.spec.targetNamespace || this.hr.metadata.namespace || '',
      ...(requested !== undefined && { lastHandledReconcileAt: requested }),
      conditions: withRetryReason(this.conditions.map((c) => this.asStored(c))),
    };
  }

  /** A condition that ends the reconcile as it was stored stays as stored (its transition time too). */
  private asStored(c: FluxCondition): FluxCondition {
    const s = this.hr.status?.conditions?.find((o) => o.type === c.type);
    const same =
      s !== undefined &&
      s.status === c.status &&
      s.reason === c.reason &&
      s.message === c.message &&
      s.observedGeneration === c.observedGeneration;
    return same ? s : c;
  }
}
