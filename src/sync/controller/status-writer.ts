import type { StatusWriter } from '../../core/index.js';
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
 * once per reconcile, and only when something changed or `reconciledAt` is getting old, through the
 * shared core `StatusWriter`, whose read-your-writes memory lets a reconcile that runs before the
 * watch delivers our own write decide from what we wrote.
 */
export class ApplicationStatusWriter {
  constructor(
    private readonly client: KubeClient,
    private readonly refreshAfterMs: number,
    private readonly writer: StatusWriter,
  ) {}

  /** The freshest copy of the app: the cache's, or ours if the cache has not caught up with it. */
  freshest(cached: Application): Application {
    return this.writer.fresher('Application', cached) ?? cached;
  }

  forget(namespace: string, name: string): void {
    this.writer.forget('Application', namespace, name);
  }

  async write(app: Application, w: StatusWrite, nowMs: number): Promise<boolean> {
    const prev = app.status;
    const age = prev?.reconciledAt ? nowMs - Date.parse(prev.reconciledAt) : Number.POSITIVE_INFINITY;
    const unchanged =
      jsonEqual(withoutTimestamp(prev), withoutTimestamp(w.status)) && age < this.refreshAfterMs;
    const ops: unknown[] = [{ op: 'add', path: '/status', value: w.status }];
    if (w.operation === null && app.operation) ops.push({ op: 'remove', path: '/operation' });
    if (w.operation) ops.push({ op: 'add', path: '/operation', value: w.operation });
    if (w.removeRefreshAnnotation && app.metadata.annotations?.[REFRESH] !== undefined) {
      ops.push({ op: 'remove', path: `/metadata/annotations/${REFRESH.replace('/', '~1')}` });
    }
    const written = await this.writer.writeStatus({
      current: app,
      status: w.status,
      changed: () => !unchanged || ops.length > 1,
      write: () =>
        this.client.patch<Application>(
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Application',
            namespace: app.metadata.namespace ?? '',
            name: app.metadata.name ?? '',
          },
          ops,
          { type: 'json' },
        ),
    });
    return written !== undefined;
  }
}
