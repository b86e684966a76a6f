/**
 * Asks the API server who a bearer token belongs to (TokenReview) and what that user may do
 * (SubjectAccessReview), with short-lived bounded caches so that many open pages do not turn into
 * many reviews. The local mode (`slipway dashboard`) asks for the kubeconfig's own identity instead.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../core/index.js';
import type { KubeClient, KubeObject } from '../kube/index.js';
import { accessKey, type ResourceAttributes, type Viewer } from './access.js';

export interface AccessReviewer {
  /** The viewer a request's bearer token belongs to; undefined when it is missing or rejected. */
  authenticate(token: string | undefined): Promise<Viewer | undefined>;
  /** Whether RBAC allows `viewer` this verb on this resource. */
  can(viewer: Viewer, attributes: ResourceAttributes): Promise<boolean>;
}

export interface ReviewCacheOptions {
  /** How long an answer is reused. Default 10 s (RBAC changes show up within that). */
  readonly ttlMs?: number;
  /** Most answers kept; the cache is emptied when full. Default 10,000. */
  readonly maxEntries?: number;
}

/** A time-bounded, size-bounded memo of async answers. */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();
  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.expires > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = compute();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    // a failed review is not remembered
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

const spec = (a: ResourceAttributes) => ({
  resourceAttributes: {
    verb: a.verb,
    group: a.group,
    resource: a.resource,
    ...(a.subresource !== undefined && { subresource: a.subresource }),
    ...(a.namespace !== undefined && { namespace: a.namespace }),
    ...(a.name !== undefined && { name: a.name }),
  },
});

type Review = KubeObject & {
  status?: {
    allowed?: boolean;
    authenticated?: boolean;
    user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
    userInfo?: { username?: string; uid?: string; groups?: string[] };
  };
};

/** Bearer tokens checked with TokenReview, permissions with SubjectAccessReview. */
export class TokenAccessReviewer implements AccessReviewer {
  private readonly tokens: TtlCache<Viewer | undefined>;
  private readonly answers: TtlCache<boolean>;

  constructor(
    private readonly client: KubeClient,
    clock: Clock,
    options: ReviewCacheOptions = {},
  ) {
    const ttl = options.ttlMs ?? 10_000;
    const max = options.maxEntries ?? 10_000;
    this.tokens = new TtlCache(clock, ttl, Math.min(max, 1_000));
    this.answers = new TtlCache(clock, ttl, max);
  }

  authenticate(token: string | undefined): Promise<Viewer | undefined> {
    if (token === undefined || token === '' || token.length > 16_384) return Promise.resolve(undefined);
    const key = createHash('sha256').update(token).digest('hex');
    return this.tokens.get(key, async () => {
      const review = await this.client.create<Review>({
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        metadata: {},
        spec: { token },
      });
      const user = review.status?.user;
      if (review.status?.authenticated !== true || !user?.username) return undefined;
      return {
        username: user.username,
        ...(user.uid !== undefined && { uid: user.uid }),
        groups: user.groups ?? [],
        ...(user.extra !== undefined && { extra: user.extra }),
      };
    });
  }

  can(viewer: Viewer, attributes: ResourceAttributes): Promise<boolean> {
    return this.answers.get(accessKey(viewer, attributes), async () => {
      const review = await this.client.create<Review>({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        metadata: {},
        spec: {
          user: viewer.username,
          ...(viewer.uid !== undefined && { uid: viewer.uid }),
          groups: viewer.groups ?? [],
          ...(viewer.extra !== undefined && { extra: viewer.extra }),
          ...spec(attributes),
        },
      });
      return review.status?.allowed === true;
    });
  }
}

/**
 * `slipway dashboard`: every request acts as the kubeconfig's user, whose permissions are asked with
 * SelfSubjectAccessReview (what `kubectl auth can-i` does); no token is needed.
 */
export class KubeconfigAccessReviewer implements AccessReviewer {
  private readonly answers: TtlCache<boolean>;
  private viewer: Promise<Viewer> | undefined;

  constructor(
    private readonly client: KubeClient,
    clock: Clock,
    options: ReviewCacheOptions = {},
  ) {
    this.answers = new TtlCache(clock, options.ttlMs ?? 10_000, options.maxEntries ?? 10_000);
  }

  authenticate(): Promise<Viewer | undefined> {
    this.viewer ??= this.client
      .create<Review>({
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
        metadata: {},
      })
      .then((r) => ({ username: r.status?.userInfo?.username ?? 'kubeconfig user' }))
      .catch(() => ({ username: 'kubeconfig user' }));
    return this.viewer;
  }

  can(viewer: Viewer, attributes: ResourceAttributes): Promise<boolean> {
    return this.answers.get(accessKey(viewer, attributes), async () => {
      const review = await this.client.create<Review>({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: {},
        spec: spec(attributes),
      });
      return review.status?.allowed === true;
    });
  }
}
