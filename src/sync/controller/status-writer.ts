import type { KubeClient } from '../../kube/index.js';
import { jsonEqual } from '../diff/index.js';
import type { Application, ApplicationStatus, Operation } from '../types.js';

export interface StatusWrite {
  readonly status: ApplicationStatus;
  /** Set `.operation` (an automated sync starting) or remove it (`null`, the operation finished). */
  readonly operation?: Operation | null;
  readonly removeRefreshAnnotation?: boolean;
}

const REFRESH = 'argocd.argoproj.io/refresh';

function withoutTimestamp(s: ApplicationStatus | undefined): unknown {
  if (!s) return undefined;
  const { reconciledAt: _r, ...rest } = s;
  return rest;
}

/**
 * Writes an Application's status (no status subresource, like Argo CD: a JSON patch on the object)
 * once per reconcile, and only when something changed or `reconciledAt` is getting old. Remembers what
 * it wrote so a reconcile that runs before the watch delivers our own write does not act on stale data.
 */
export class StatusWriter {
  private readonly written = new Map<string, Application>();

  constructor(
    private readonly client: KubeClient,
    private readonly refreshAfterMs: number,
  ) {}

  /** The freshest copy of the app: the cache's, or ours if we wrote a newer one. */
  freshest(key: string, cached: Application): Application {
    const mine = this.written.get(key);
    if (!mine) return cached;
    if (Number(mine.metadata.resourceVersion ?? 0) > Number(cached.metadata.resourceVersion ?? 0))
      return mine;
    this.written.delete(key);
    return cached;
  }

  forget(key: string): void {
    this.written.delete(key);
  }

  async write(key: string, app: Application, w: StatusWrite, nowMs: number): Promise<boolean> {
    const prev = app.status;
    const age = prev?.reconciledAt ? nowMs - Date.parse(prev.reconciledAt) : Number.POSITIVE_INFINITY;
    const unchanged =
      jsonEqual(withoutTimestamp(prev), withoutTimestamp(w.status)) && age < this.refreshAfterMs;
    if (unchanged && w.operation === undefined && !w.removeRefreshAnnotation) return false;
    const ops: unknown[] = [{ op: 'add', path: '/status', value: w.status }];
    if (w.operation === null && app.operation) ops.push({ op: 'remove', path: '/operation' });
    if (w.operation) ops.push({ op: 'add', path: '/operation', value: w.operation });
    if (w.removeRefreshAnnotation && app.metadata.annotations?.[REFRESH] !== undefined) {
      ops.push({ op: 'remove', path: `/metadata/annotations/${REFRESH.replace('/', '~1')}` });
    }
    const updated = await this.client.patch<Application>(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        namespace: app.metadata.namespace ?? '',
        name: app.metadata.name ?? '',
      },
      ops,
      { type: 'json' },
    );
    this.written.set(key, updated);
    return true;
  }
}
