import type { EventRecorder } from '../core/index.js';
import { groupOf, type KubeClient, type KubeObject } from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import { compareResource, type ResourceManager } from '../sync/index.js';
import { objectRef } from './apply.js';
import {
  briefDrift,
  type CompiledIgnoreRule,
  compileIgnoreRules,
  DriftDetectionError,
  diffOps,
  driftCorrectedMessage,
  driftCorrectionFailedMessage,
  driftDetectedMessage,
  driftMode,
  hasDrift,
  ignoredPointers,
  isDriftExcluded,
  type ObjectDrift,
} from './helm-release-drift-rules.js';
import { HelmReason, type HelmReleaseStatusDraft } from './helm-release-status.js';
import type { HelmRelease, Snapshot } from './helm-types.js';
import { FLUX_FIELD_MANAGER } from './status-write.js';

export interface ReleaseDriftDeps {
  readonly client: KubeClient;
  readonly rm: ResourceManager;
  readonly events: EventRecorder;
  readonly logger: Logger;
}

/** What the drift check of an up-to-date release found (and did). */
export type DriftCheck =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'in-sync' }
  | { readonly kind: 'drifted'; readonly corrected: 'no' | 'yes' | 'failed' }
  /** The cluster state could not be determined: helm-controller's StateError. */
  | { readonly kind: 'failed'; readonly message: string };

interface DesiredDrift extends ObjectDrift {
  readonly desired: KubeObject;
}

/** Objects compared at once (each is a GET and a server-side-apply dry run). */
const CONCURRENCY = 8;

/**
 * One object against the cluster, as fluxcd/pkg ssa jsondiff compares it: excluded by its
 * label/annotation (desired or live) or by a root ignore path; missing; or the live object against
 * the server-side-apply dry run of the desired one (the sync engine's comparison), the ignored
 * JSON pointers left out of both.
 */
async function compareObject(
  d: ReleaseDriftDeps,
  rules: readonly CompiledIgnoreRule[],
  desired: KubeObject,
): Promise<DesiredDrift> {
  const subject = objectRef(desired);
  const pointers = ignoredPointers(rules, desired);
  if (isDriftExcluded(desired) || pointers.includes(''))
    return { subject, type: 'exclude', ops: [], desired };
  const live = await d.client.getIfExists(desired);
  if (!live) return { subject, type: 'create', ops: [], desired };
  if (isDriftExcluded(live)) return { subject, type: 'exclude', ops: [], desired };
  const predicted = await d.rm.predict(desired);
  const ignore = [{ group: groupOf(desired.apiVersion), kind: desired.kind ?? '', jsonPointers: pointers }];
  const diff = compareResource(predicted, live, ignore, desired);
  const ops = diff.inSync ? [] : diffOps(diff.live, diff.predicted);
  return { subject, type: ops.length > 0 ? 'update' : 'none', ops, desired };
}

/** Every object of the release compared with the cluster, in the release's order. */
export async function detectDrift(
  d: ReleaseDriftDeps,
  rules: readonly CompiledIgnoreRule[],
  objects: readonly KubeObject[],
): Promise<DesiredDrift[]> {
  const out: DesiredDrift[] = [];
  for (let i = 0; i < objects.length; i += CONCURRENCY)
    out.push(
      ...(await Promise.all(objects.slice(i, i + CONCURRENCY).map((o) => compareObject(d, rules, o)))),
    );
  return out;
}

/**
 * helm-controller's ApplyDiff: missing objects created, changed ones patched with the JSON patch
 * of their difference (so ignored fields stay as the cluster has them). Returns the change-set
 * lines and the failures.
 */
export async function correctDrift(
  d: ReleaseDriftDeps,
  drifts: readonly DesiredDrift[],
): Promise<{ changes: string[]; errors: string[] }> {
  const changes: string[] = [];
  const errors: string[] = [];
  for (const x of drifts.filter((x) => x.type === 'create')) {
    try {
      await d.rm.apply(x.desired, undefined);
      changes.push(`${x.subject} created`);
    } catch (err) {
      errors.push(`${x.subject} creation failure: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const x of drifts.filter((x) => x.type === 'update')) {
    const o = x.desired;
    try {
      await d.client.patch(
        {
          apiVersion: o.apiVersion ?? '',
          kind: o.kind ?? '',
          name: o.metadata.name ?? '',
          ...(o.metadata.namespace && { namespace: o.metadata.namespace }),
        },
        x.ops,
        { type: 'json', fieldManager: FLUX_FIELD_MANAGER },
      );
      changes.push(`${x.subject} configured`);
    } catch (err) {
      // a Secret's patch failure may quote its data: name the object only
      const why =
        o.kind === 'Secret' ? 'the patch was refused' : err instanceof Error ? err.message : String(err);
      errors.push(`${x.subject} patch failure: ${why}`);
    }
  }
  return { changes, errors };
}

const fullName = (s: Snapshot) => `${s.namespace}/${s.name}.v${s.version}`;

/**
 * The drift step of an up-to-date release (helm-controller's `Drifted` state): with `warn` or
 * `enabled`, the release's objects (as stored, with Slipway's labels) are compared with the cluster;
 * drift is a Warning Event `DriftDetected` and `Drifted=True` naming the objects, Ready unchanged;
 * `enabled` then corrects it (Event `DriftCorrected`, or `DriftCorrectionFailed`) without a new
 * release version. `disabled` leaves the cluster alone.
 */
export async function checkReleaseDrift(
  d: ReleaseDriftDeps,
  hr: HelmRelease,
  draft: HelmReleaseStatusDraft,
  objects: readonly KubeObject[],
  release: Snapshot,
): Promise<DriftCheck> {
  const mode = driftMode(hr);
  if (mode === 'disabled') {
    draft.forgetDrift();
    return { kind: 'disabled' };
  }
  let drifts: DesiredDrift[];
  try {
    drifts = await detectDrift(d, compileIgnoreRules(hr.spec.driftDetection?.ignore), objects);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (!(err instanceof DriftDetectionError)) d.logger.warn({ err }, 'helm release drift check failed');
    return {
      kind: 'failed',
      message: `Could not determine release state: unable to determine cluster state: ${why}`,
    };
  }
  if (!hasDrift(drifts)) {
    draft.noDrift();
    return { kind: 'in-sync' };
  }
  const message = driftDetectedMessage(fullName(release), drifts);
  d.logger.info({ drift: briefDrift(drifts), mode }, 'helm release drifted');
  d.events.warning(hr, HelmReason.DriftDetected, message);
  draft.drifted(message);
  if (mode === 'warn') return { kind: 'drifted', corrected: 'no' };
  const { changes, errors } = await correctDrift(d, drifts);
  if (errors.length > 0) {
    d.logger.warn({ failures: errors.length }, 'helm release drift correction failed');
    d.events.warning(
      hr,
      HelmReason.DriftCorrectionFailed,
      driftCorrectionFailedMessage(fullName(release), errors, changes),
    );
    return { kind: 'drifted', corrected: 'failed' };
  }
  d.events.normal(hr, HelmReason.DriftCorrected, driftCorrectedMessage(fullName(release), changes));
  // helm-controller determines the state again after the correction: in sync unless something fights it
  const after = await detectDrift(d, compileIgnoreRules(hr.spec.driftDetection?.ignore), objects).catch(
    () => drifts,
  );
  if (hasDrift(after)) draft.drifted(driftDetectedMessage(fullName(release), after));
  else draft.noDrift();
  return { kind: 'drifted', corrected: 'yes' };
}
