import type { KubeObject } from '../../kube/index.js';
import { microTime } from '../leader-election.js';
import type { MemberObservation } from './shard-coordinator.js';

/** Label that groups the member Leases of one sharded controller (value: the group name). */
export const SHARD_GROUP_LABEL = 'slipway.io/shard-group';
/** Annotation holding the member list a replica works under (comma-separated, sorted). */
export const SHARD_CLAIM_ANNOTATION = 'slipway.io/shard-claim';

export const LEASE_GVK = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;

export interface ShardLease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
  };
}

/** `slipway-shard-<identity>`: one Lease per replica. */
export function shardLeaseName(identity: string): string {
  return `slipway-shard-${identity}`;
}

/** A member identity usable in a Lease name: lowercase alphanumerics and dashes, at most 63 characters. */
export function memberIdentity(host: string, suffix: string): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const tail = clean(suffix) || 'x';
  const head =
    clean(host)
      .slice(0, 62 - tail.length)
      .replace(/-+$/, '') || 'slipway';
  return `${head}-${tail}`;
}

/** The Lease this replica writes at `now`, claiming `claim`. `current`: the stored one, if any. */
export function shardLease(options: {
  readonly namespace: string;
  readonly group: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly claim: readonly string[];
  readonly now: number;
  readonly current?: ShardLease;
  /** More claims written with this one (annotation → value), e.g. the clusters claimed. */
  readonly extraAnnotations?: Readonly<Record<string, string>>;
}): ShardLease {
  const { current, now } = options;
  return {
    ...LEASE_GVK,
    metadata: {
      ...(current?.metadata ?? {}),
      name: shardLeaseName(options.identity),
      namespace: options.namespace,
      labels: { ...(current?.metadata.labels ?? {}), [SHARD_GROUP_LABEL]: options.group },
      annotations: {
        ...(current?.metadata.annotations ?? {}),
        ...(options.extraAnnotations ?? {}),
        [SHARD_CLAIM_ANNOTATION]: options.claim.join(','),
      },
    },
    spec: {
      holderIdentity: options.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(options.leaseDurationMs / 1000)),
      acquireTime: current?.spec?.acquireTime ?? microTime(now),
      renewTime: microTime(now),
    },
  };
}

/** What a listed member Lease says; undefined for a Lease without a holder. */
export function observeShardLease(lease: ShardLease): MemberObservation | undefined {
  const identity = lease.spec?.holderIdentity;
  if (!identity) return undefined;
  const claimText = lease.metadata.annotations?.[SHARD_CLAIM_ANNOTATION] ?? '';
  const claim = claimText === '' ? [] : [...new Set(claimText.split(','))].sort();
  return {
    identity,
    fingerprint: JSON.stringify([lease.spec?.renewTime, claimText, lease.metadata.resourceVersion]),
    claim,
    leaseDurationMs: (lease.spec?.leaseDurationSeconds ?? 0) * 1000,
    annotations: lease.metadata.annotations ?? {},
  };
}
