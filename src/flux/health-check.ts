import type { KubeObject } from '../kube/index.js';
import { assessHealth } from '../sync/index.js';

/** kstatus' vocabulary, which Flux's health messages use. */
export type ObjectStatus = 'Current' | 'InProgress' | 'Failed' | 'NotFound';

export interface CheckedObject {
  /** `Kind/namespace/name` (or `Kind/name`). */
  readonly ref: string;
  /** The live object; undefined when it does not exist. */
  readonly live: KubeObject | undefined;
}

/**
 * The status of one object through the sync engine's health table: Healthy and Suspended (a paused
 * canary) are Current, Degraded is Failed, a kind without a check is Current once it exists.
 */
export function objectStatus(live: KubeObject | undefined): ObjectStatus {
  if (!live) return 'NotFound';
  const h = assessHealth(live);
  switch (h?.status) {
    case undefined:
    case 'Healthy':
    case 'Suspended':
      return 'Current';
    case 'Degraded':
      return 'Failed';
    case 'Missing':
      return 'NotFound';
    default:
      return 'InProgress';
  }
}

export type HealthDecision =
  | { readonly kind: 'healthy' }
  | { readonly kind: 'waiting'; readonly pending: string }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Decides a Kustomization's health check from the objects' state and how long it has waited
 * (`elapsedMs` since the checks for this revision started), as Flux's WaitForSet reports it. Pure.
 */
export function decideHealth(
  objects: readonly CheckedObject[],
  elapsedMs: number,
  timeoutMs: number,
): HealthDecision {
  const pending = objects
    .map((o) => ({ ref: o.ref, status: objectStatus(o.live) }))
    .filter((o) => o.status !== 'Current');
  if (pending.length === 0) return { kind: 'healthy' };
  const list = `[${pending.map((o) => `${o.ref} status: '${o.status}'`).join(', ')}]`;
  if (elapsedMs >= timeoutMs) return { kind: 'failed', message: `timeout waiting for: ${list}` };
  return { kind: 'waiting', pending: list };
}
