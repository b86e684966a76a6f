import {
  type EventRecorder,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  type StatusWriter,
  toKubeTime,
} from '../core/index.js';
import type { KubeClient, Reflector } from '../kube/index.js';
import { currentFluxObject, RECONCILE_REQUEST_ANNOTATION } from './current-object.js';
import { type ImageOutcome, ImageReason } from './image-conditions.js';
import { writeImageOutcome } from './image-outcome.js';
import { parseImageReference } from './image-reference.js';
import { decideScan, exclusionListOf, latestTagsOf } from './image-scan.js';
import { type ImageScanLimits, scanImageRepository } from './image-scanner.js';
import type { ImageTagStore } from './image-tag-store.js';
import type { ImageRepository, ImageRepositoryStatus } from './image-types.js';
import { durationMs } from './intervals.js';

export interface ImageRepositoryReconcilerDeps {
  readonly client: KubeClient;
  readonly repos: Reflector<ImageRepository>;
  readonly tags: ImageTagStore;
  readonly limits: ImageScanLimits;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
}

/** What Slipway cannot do for an ImageRepository (a Stalled condition names it), or undefined. Pure. */
export function unsupportedImageRepositorySpec(repo: ImageRepository): string | undefined {
  const provider = repo.spec.provider ?? 'generic';
  if (provider !== 'generic')
    return `provider '${provider}' is not supported by Slipway: use 'generic' with a secretRef (kubernetes.io/dockerconfigjson)`;
  if (repo.spec.serviceAccountName)
    return 'spec.serviceAccountName is not supported by Slipway: name the image pull Secret in spec.secretRef';
  if (repo.spec.certSecretRef) return 'spec.certSecretRef is not supported by Slipway';
  if (repo.spec.proxySecretRef) return 'spec.proxySecretRef is not supported by Slipway';
  return undefined;
}

/**
 * The ImageRepository reconciler (image-reflector-controller's): scan the registry's tags when a
 * scan is due (first scan, new image, new exclusion list, a reconcile request, no tags in this
 * process, the interval), keep them in the in-memory tag store and report the scan as Flux does
 * (`lastScanResult`, `canonicalImageName`, `observedExclusionList`, Ready/Reconciling/Stalled).
 */
export class ImageRepositoryReconciler implements Reconciler {
  constructor(private readonly d: ImageRepositoryReconcilerDeps) {}

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.repos, this.d.writer, 'ImageRepository', req);
    // a repository gone or going takes its tags with it; a suspended one keeps them
    if (current.state === 'gone' || current.state === 'deleting') this.d.tags.delete(req.key);
    if (current.state !== 'active') return undefined;
    const repo = current.obj;
    const nowMs = ctx.clock.now();
    const now = toKubeTime(nowMs);
    const intervalMs = durationMs(repo.spec.interval, 600_000);
    let status: ImageRepositoryStatus = repo.status ?? {};
    let outcome: ImageOutcome;
    let requeueMs: number | undefined;
    const unsupported = unsupportedImageRepositorySpec(repo);
    const parsed = parseImageReference(repo.spec.image, repo.spec.insecure === true);
    if (unsupported !== undefined)
      outcome = { kind: 'stalled', reason: ImageReason.UnsupportedSpec, message: unsupported };
    else if (!parsed.ok)
      outcome = { kind: 'stalled', reason: ImageReason.ImageURLInvalid, message: parsed.message };
    else {
      const ref = parsed.ref;
      const requestedAt = repo.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
      const stored = this.d.tags.get(req.key);
      const decision = decideScan(repo, {
        intervalMs,
        nowMs,
        canonicalName: ref.canonicalName,
        hasStoredTags: stored !== undefined && stored.canonicalName === ref.canonicalName,
        ...(requestedAt !== undefined && { requestedAt }),
      });
      let failure: ImageOutcome | undefined;
      if (decision.scan) {
        const progress = `scanning: ${decision.reason}`;
        const result = await scanImageRepository(this.d.client, repo, ref, this.d.limits);
        if (result.kind === 'scanned') {
          this.d.tags.set(req.key, { ...result.stored, scannedAtMs: nowMs });
          status = {
            ...status,
            lastScanResult: {
              revision: result.stored.revision,
              tagCount: result.stored.tags.length,
              scanTime: now,
              ...(latestTagsOf(result.stored.tags) && { latestTags: latestTagsOf(result.stored.tags) }),
            },
          };
          if (result.stored.revision !== repo.status?.lastScanResult?.revision)
            ctx.logger.info(
              { tags: result.stored.tags.length, revision: result.stored.revision },
              'scanned image repository',
            );
        } else {
          const reason =
            result.kind === 'auth-failed'
              ? ImageReason.AuthenticationFailed
              : ImageReason.ReadOperationFailed;
          failure = { kind: 'failed', reason, message: result.message, progress };
        }
      }
      if (failure) {
        outcome = failure;
        requeueMs = Math.min(intervalMs, 60_000);
      } else {
        const last = status.lastScanResult;
        outcome = {
          kind: 'ready',
          message: `successful scan: found ${last?.tagCount ?? 0} tags with checksum ${last?.revision ?? ''}`,
        };
        status = {
          ...status,
          canonicalImageName: ref.canonicalName,
          observedExclusionList: [...exclusionListOf(repo)],
        };
        requeueMs = decision.nextMs;
      }
    }
    await writeImageOutcome(this.d, ctx, repo, status, outcome, now, {
      notReady: 'image repository not ready',
    });
    return requeueMs !== undefined ? { requeueAfterMs: Math.max(1000, requeueMs) } : undefined;
  }
}
