import { createHash } from 'node:crypto';
import { canonicalJson } from '../../go/index.js';
import {
  isForbidden,
  isNotFound,
  isUnavailable,
  KubeError,
  KubeErrorCode,
  type KubeObject,
} from '../../kube/index.js';
import type { ResourceManager } from '../apply/index.js';
import { compareResource } from '../diff/index.js';
import { assessHealth } from '../health/index.js';
import { hookTypes } from '../operation/hooks.js';
import { syncWave } from '../operation/order.js';
import type { Application, HealthStatus, SyncStatusCode } from '../types.js';
import type { DesiredState } from './desired-state.js';
import type { LiveState } from './live-state.js';
import { resourceKey } from './tracking.js';

export interface ManagedResource {
  readonly key: string;
  readonly desired?: KubeObject;
  readonly live?: KubeObject;
  /** Normalised forms used by `app diff`. */
  readonly normalizedLive?: KubeObject;
  readonly normalizedPredicted?: KubeObject;
  readonly status: SyncStatusCode;
  readonly health?: HealthStatus;
  readonly requiresPruning: boolean;
  /** Why the API server refused a dry run of the desired object. */
  readonly dryRunError?: string;
  readonly wave: number;
}

export interface Comparison {
  readonly revision: string;
  readonly desired: DesiredState;
  readonly resources: readonly ManagedResource[];
  readonly hooks: readonly KubeObject[];
  readonly syncStatus: SyncStatusCode;
}

interface Prediction {
  readonly predicted?: KubeObject;
  readonly error?: string;
}

/** Dry-run results keyed by live resourceVersion + desired hash: unchanged objects cost nothing. */
export class PredictionCache {
  private readonly map = new Map<string, Prediction>();
  constructor(private readonly max = 50_000) {}
  get(k: string): Prediction | undefined {
    return this.map.get(k);
  }
  set(k: string, v: Prediction): void {
    this.map.set(k, v);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}

function hashOf(obj: KubeObject): string {
  return createHash('sha1').update(canonicalJson(obj)).digest('hex');
}

async function predict(
  rm: ResourceManager,
  cache: PredictionCache,
  desired: KubeObject,
  live: KubeObject | undefined,
  crdKinds: ReadonlySet<string>,
): Promise<Prediction> {
  const key = `${resourceKey(desired)}|${live?.metadata.resourceVersion ?? '-'}|${hashOf(desired)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let result: Prediction;
  try {
    result = { predicted: await rm.predict(desired) };
  } catch (err) {
    // an unreachable API server fails the comparison (and is never cached as the object's dry run)
    if (isUnavailable(err)) throw err;
    const unknownKind = err instanceof KubeError && err.code === KubeErrorCode.UnknownKind;
    // A namespace the sync creates, or a CRD the same app installs: cannot be predicted yet, not an error.
    if ((isNotFound(err) && !live) || (unknownKind && crdKinds.has(desired.kind ?? ''))) result = {};
    else result = { error: err instanceof Error ? err.message : String(err) };
    if (unknownKind || isNotFound(err)) return result;
  }
  cache.set(key, result);
  return result;
}

/**
 * Compares desired with live: a server-side-apply dry run per object (cached), normalised and
 * filtered by ignoreDifferences; health per live object; objects tracked by the app but no longer
 * rendered (or listed in the previous inventory) need pruning.
 */
export async function compareApp(
  app: Application,
  desired: DesiredState,
  live: LiveState,
  rm: ResourceManager,
  cache: PredictionCache,
): Promise<Comparison> {
  const appName = app.metadata.name ?? '';
  const hooks: KubeObject[] = [];
  const plain: KubeObject[] = [];
  for (const o of desired.objects) (hookTypes(o).length > 0 ? hooks : plain).push(o);
  // every kind the app touches, with the namespaces it touches it in
  const kinds = new Map<string, { gvk: { apiVersion: string; kind: string }; namespaces: Set<string> }>();
  const touch = (apiVersion: string, kind: string, namespace: string | undefined) => {
    const id = `${apiVersion}|${kind}`;
    const entry = kinds.get(id) ?? { gvk: { apiVersion, kind }, namespaces: new Set<string>() };
    if (namespace) entry.namespaces.add(namespace);
    kinds.set(id, entry);
  };
  for (const o of desired.objects) touch(o.apiVersion ?? '', o.kind ?? '', o.metadata.namespace);
  for (const r of app.status?.resources ?? []) {
    // Entries without a kind (written by versions whose caches held kind-less objects) name nothing.
    if (!r.kind || !r.version) continue;
    touch(r.group ? `${r.group}/${r.version}` : r.version, r.kind, r.namespace);
  }
  const crdKinds = new Set(
    desired.objects
      .filter((o) => o.kind === 'CustomResourceDefinition')
      .map((o) => (o.spec as { names?: { kind?: string } } | undefined)?.names?.kind ?? ''),
  );
  for (const o of desired.objects) live.checkNamespace(o);
  // a kind RBAC forbids fails the comparison with the missing permission; other failures (a kind whose
  // CRD is not applied yet) leave it out
  await Promise.all(
    [...kinds.values()].map(({ gvk, namespaces }) =>
      live.ensure(gvk, [...namespaces]).catch((err: unknown) => {
        if (isForbidden(err)) throw err;
      }),
    ),
  );

  const resources: ManagedResource[] = [];
  const desiredKeys = new Set<string>();
  const predictions = await Promise.all(
    plain.map(async (d) => {
      const l = live.get(d);
      return { d, l, p: await predict(rm, cache, d, l, crdKinds) };
    }),
  );
  for (const { d, l, p } of predictions) {
    const key = resourceKey(d);
    desiredKeys.add(key);
    const diff = p.error ? { inSync: false } : compareResource(p.predicted, l, app.spec.ignoreDifferences, d);
    const health = l ? assessHealth(l) : { status: 'Missing' as const };
    resources.push({
      key,
      desired: d,
      ...(l && { live: l }),
      ...(diff.live && { normalizedLive: diff.live }),
      ...(diff.predicted && { normalizedPredicted: diff.predicted }),
      status: diff.inSync ? 'Synced' : 'OutOfSync',
      ...(health && { health }),
      requiresPruning: false,
      ...(p.error && { dryRunError: p.error }),
      wave: syncWave(d),
    });
  }
  const seen = new Set<string>();
  for (const l of live.trackedBy(appName)) {
    const key = resourceKey(l);
    if (!l.kind || !l.apiVersion) continue;
    if (desiredKeys.has(key) || seen.has(key) || hookTypes(l).length > 0) continue;
    if (l.metadata.ownerReferences?.some((o) => o.controller)) continue;
    seen.add(key);
    const health = assessHealth(l);
    resources.push({
      key,
      live: l,
      status: 'OutOfSync',
      ...(health && { health }),
      requiresPruning: true,
      wave: syncWave(l),
    });
  }
  resources.sort((a, b) => a.key.localeCompare(b.key));
  return {
    revision: desired.revision,
    desired,
    resources,
    hooks,
    syncStatus: resources.some((r) => r.status !== 'Synced') ? 'OutOfSync' : 'Synced',
  };
}
