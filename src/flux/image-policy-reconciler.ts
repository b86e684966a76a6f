import {
  type EventRecorder,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  type StatusWriter,
  toKubeTime,
} from '../core/index.js';
import { isNotFound, type KubeClient, type KubeObject, type Reflector } from '../kube/index.js';
import { currentFluxObject } from './current-object.js';
import { type ImageOutcome, ImageReason } from './image-conditions.js';
import { writeImageOutcome } from './image-outcome.js';
import {
  applyImagePolicy,
  imagePolicyReadyMessage,
  imageRefString,
  nextImageRefs,
  policerFromSpec,
} from './image-policy.js';
import { type ImageReference, parseImageReference } from './image-reference.js';
import { fetchTagDigest, type ImageScanLimits, scanImageRepository } from './image-scanner.js';
import type { ImageTagStore, StoredTags } from './image-tag-store.js';
import type { ImagePolicy, ImagePolicyStatus, ImageRef, ImageRepository } from './image-types.js';
import { durationMs, formatDurationMs } from './intervals.js';

export interface ImagePolicyReconcilerDeps {
  readonly client: KubeClient;
  readonly policies: Reflector<ImagePolicy>;
  readonly repos: Reflector<ImageRepository>;
  readonly tags: ImageTagStore;
  readonly limits: ImageScanLimits;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
  /** Re-check of a repository without tags yet (Flux's --requeue-dependency, default 30 s). */
  readonly dependencyRequeueMs: number;
}

/** The ImageRepository an ImagePolicy names: `namespace/name` (its own namespace by default). */
export function imageRepositoryKeyOf(policy: ImagePolicy): string {
  const ref = policy.spec.imageRepositoryRef;
  return `${ref.namespace || policy.metadata.namespace || ''}/${ref.name}`;
}

class PolicyFailure extends Error {
  constructor(readonly outcome: ImageOutcome) {
    super(outcome.message);
  }
}

const PROGRESS = 'reconciliation in progress';
const failed = (reason: ImageReason, message: string): PolicyFailure =>
  new PolicyFailure({ kind: 'failed', reason, message, progress: PROGRESS });
const stalled = (reason: ImageReason, message: string): PolicyFailure =>
  new PolicyFailure({ kind: 'stalled', reason, message });
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The ImagePolicy reconciler (image-reflector-controller's): read its ImageRepository (same namespace,
 * or another one whose `accessFrom` admits this namespace's labels), apply the policy to the
 * repository's stored tags (scanning the registry itself when this process holds none: after a
 * restart, or when another shard scanned), reflect the digest if asked, and report
 * `status.latestRef` / `observedPreviousRef` and Ready with Flux's messages; an Event on each change.
 */
export class ImagePolicyReconciler implements Reconciler {
  constructor(private readonly d: ImagePolicyReconcilerDeps) {}

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.policies, this.d.writer, 'ImagePolicy', req);
    if (current.state !== 'active') return undefined;
    const policy = current.obj;
    const now = toKubeTime(ctx.clock.now());
    const reflect = policy.spec.digestReflectionPolicy ?? 'Never';
    const intervalMs = reflect === 'Always' ? durationMs(policy.spec.interval, 600_000) : undefined;
    let status: ImagePolicyStatus = policy.status ?? {};
    let outcome: ImageOutcome;
    let requeueMs = intervalMs;
    try {
      if (reflect === 'Always' && !policy.spec.interval)
        throw stalled(
          ImageReason.IntervalNotConfigured,
          "spec.interval must be set when spec.digestReflectionPolicy is set to 'Always'",
        );
      const repo = await this.repositoryOf(policy);
      const parsed = parseImageReference(repo.spec.image, repo.spec.insecure === true);
      if (!parsed.ok) throw stalled(ImageReason.ImageURLInvalid, parsed.message);
      const policer = policerFromSpec(policy.spec.policy);
      if (!policer.ok) throw stalled(ImageReason.InvalidPolicy, `invalid policy: ${policer.message}`);
      const tags = await this.tagsOf(ctx, repo, parsed.ref);
      const result = applyImagePolicy(policy.spec.policy, policy.spec.filterTags, tags);
      if (result.kind === 'invalid') throw stalled(ImageReason.InvalidPolicy, result.message);
      if (result.kind === 'failed') throw failed(ImageReason.Failure, result.message);
      const latest = await this.withDigest(repo, parsed.ref, policy, {
        name: repo.spec.image,
        tag: result.tag,
      });
      const refs = nextImageRefs(status, latest);
      status = { ...status, ...refs };
      outcome = { kind: 'ready', message: imagePolicyReadyMessage(refs.latestRef, refs.observedPreviousRef) };
    } catch (err) {
      if (!(err instanceof PolicyFailure)) throw err;
      outcome = err.outcome;
      if (outcome.kind === 'failed') requeueMs = this.d.dependencyRequeueMs;
      else requeueMs = undefined;
    }
    await writeImageOutcome(this.d, ctx, policy, status, outcome, now, {
      notReady: 'image policy not ready',
      ready: { message: 'image policy resolved', fields: { latest: status.latestRef?.tag } },
    });
    return requeueMs !== undefined ? { requeueAfterMs: requeueMs } : undefined;
  }

  /** getImageRepository: the referenced repository, if it exists and its ACL admits the policy. */
  private async repositoryOf(policy: ImagePolicy): Promise<ImageRepository> {
    const key = imageRepositoryKeyOf(policy);
    const [ns = '', name = ''] = key.split('/');
    const prefix = 'failed to get the referred ImageRepository: ';
    const repo = this.d.repos.store.get(key);
    if (!repo)
      throw failed(
        ImageReason.DependencyNotReady,
        `${prefix}referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io "${name}" not found`,
      );
    if (ns === policy.metadata.namespace) return repo;
    const selectors = repo.spec.accessFrom?.namespaceSelectors;
    if (!repo.spec.accessFrom)
      throw failed(
        ImageReason.AccessDenied,
        `${prefix}access denied: '${ns}/${name}' can't be accessed due to missing ACL labels on 'accessFrom'`,
      );
    let labels: Readonly<Record<string, string>> = {};
    try {
      const own = await this.d.client.get<KubeObject>({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: policy.metadata.namespace ?? '',
      });
      labels = own.metadata.labels ?? {};
    } catch (err) {
      if (!isNotFound(err)) throw failed(ImageReason.Failure, `${prefix}${errorText(err)}`);
    }
    const admitted = (selectors ?? []).some((s) =>
      Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v),
    );
    if (!admitted)
      throw failed(
        ImageReason.AccessDenied,
        `${prefix}access denied: '${ns}/${name}' can't be accessed due to ACL labels mismatch on namespace '${policy.metadata.namespace ?? ''}'`,
      );
    return repo;
  }

  /**
   * The repository's tags from the store; on a miss (a restart, another shard's scan, a newer scan
   * than ours in status) the registry is scanned here. No scan in status yet: not ready (Flux's "no
   * tags in database").
   */
  private async tagsOf(
    ctx: ReconcileContext,
    repo: ImageRepository,
    ref: ImageReference,
  ): Promise<readonly string[]> {
    const key = `${repo.metadata.namespace ?? ''}/${repo.metadata.name ?? ''}`;
    const last = repo.status?.lastScanResult;
    let stored: StoredTags | undefined = this.d.tags.get(key);
    const stale =
      !stored ||
      stored.canonicalName !== ref.canonicalName ||
      (last !== undefined &&
        stored.revision !== last.revision &&
        (stored.scannedAtMs ?? 0) < Date.parse(last.scanTime));
    if (stale && last !== undefined && repo.status?.canonicalImageName === ref.canonicalName) {
      const result = await scanImageRepository(this.d.client, repo, ref, this.d.limits);
      if (result.kind !== 'scanned')
        throw failed(ImageReason.Failure, `failed to read tags from database: ${result.message}`);
      stored = { ...result.stored, scannedAtMs: ctx.clock.now() };
      this.d.tags.set(key, stored);
    }
    if (!stored || stored.canonicalName !== ref.canonicalName || stored.tags.length === 0)
      throw failed(
        ImageReason.DependencyNotReady,
        `retrying in ${formatDurationMs(Math.round(this.d.dependencyRequeueMs / 1000) * 1000)} error: no tags in database`,
      );
    return stored.tags;
  }

  /** updateImageRefs' digest: Never none, IfNotPresent kept while the tag stays, Always looked up. */
  private async withDigest(
    repo: ImageRepository,
    ref: ImageReference,
    policy: ImagePolicy,
    latest: ImageRef,
  ): Promise<ImageRef> {
    const reflect = policy.spec.digestReflectionPolicy ?? 'Never';
    if (reflect === 'Never') return latest;
    const prev = policy.status?.latestRef;
    if (reflect === 'IfNotPresent' && prev?.name === latest.name && prev.tag === latest.tag && prev.digest)
      return { ...latest, digest: prev.digest };
    try {
      return { ...latest, digest: await fetchTagDigest(this.d.client, repo, ref, latest.tag) };
    } catch (err) {
      throw failed(
        ImageReason.Failure,
        `failed fetching digest of ${imageRefString(latest)}: ${errorText(err)}`,
      );
    }
  }
}
