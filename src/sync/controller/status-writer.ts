import type { StatusWriter } from '../../core/index.js';
import { isInvalid, type KubeClient, KubeError, KubeErrorCode } from '../../kube/index.js';
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
    // Only the operation this reconcile finished is removed: a new one requested meanwhile (a manual sync,
    // or a stale copy of ours) fails the test, and the next reconcile reads the object again.
    if (w.operation === null && app.operation)
      ops.push(
        { op: 'test', path: '/operation', value: app.operation },
        { op: 'remove', path: '/operation' },
      );
    if (w.operation) ops.push({ op: 'add', path: '/operation', value: w.operation });
    if (w.removeRefreshAnnotation && app.metadata.annotations?.[REFRESH] !== undefined) {
      ops.push({ op: 'remove', path: `/metadata/annotations/${REFRESH.replace('/', '~1')}` });
    }
    const removesOperation = w.operation === null && app.operation !== undefined;
    const written = await this.writer.writeStatus({
      current: app,
      status: w.status,
      changed: () => !unchanged || ops.length > 1,
      write: () =>
        this.client
          .patch<Application>(
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Application',
              namespace: app.metadata.namespace ?? '',
              name: app.metadata.name ?? '',
            },
            ops,
            { type: 'json' },
          )
          .catch(async (err: unknown) => {
            throw (removesOperation && (await operationChanged(this.client, err, app))) || err;
          }),
    });
    return written !== undefined;
  }
}

/**
 * A failed `test` of `/operation` is a conflict: the operation changed since this reconcile read it. The
 * API server answers a failed test with a bare 422, so the object is read again to tell it from a status
 * the schema rejects (which stays that error).
 */
async function operationChanged(
  client: KubeClient,
  err: unknown,
  app: Application,
): Promise<KubeError | undefined> {
  if (!isInvalid(err)) return undefined;
  const ref = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    namespace: app.metadata.namespace ?? '',
    name: app.metadata.name ?? '',
  };
  const current = await client.get<Application>(ref).catch(() => undefined);
  if (current === undefined || jsonEqual(current.operation, app.operation)) return undefined;
  return new KubeError(
    KubeErrorCode.Conflict,
    `the operation of Application ${ref.namespace}/${ref.name} changed while it was being finished; reading it again`,
    { object: ref },
    err,
  );
}
