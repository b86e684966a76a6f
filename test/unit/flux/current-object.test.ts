import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusWriter, specOrRequestChanged } from '../../../src/core/index.js';
import { currentFluxObject, handledReconcileRequest } from '../../../src/flux/current-object.js';
import type { GitRepository } from '../../../src/flux/index.js';
import { artifactStoredConditions, fetchFailedConditions } from '../../../src/flux/source-conditions.js';
import type { KubeObject, Reflector } from '../../../src/kube/index.js';

const repo = (meta: Partial<GitRepository['metadata']> = {}, suspend?: boolean): GitRepository =>
  ({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'apps', namespace: 'ns', uid: 'u1', resourceVersion: '1', ...meta },
    spec: { url: 'https://example.com/apps.git', interval: '1m', ...(suspend !== undefined && { suspend }) },
  }) as GitRepository;
const cacheOf = (obj?: GitRepository) =>
  ({
    store: { get: (key: string) => (key === 'ns/apps' ? obj : undefined) },
  }) as unknown as Reflector<GitRepository>;
const req = { namespace: 'ns', name: 'apps', key: 'ns/apps' };

describe('flux currentFluxObject: the reconcilers’ opening step', () => {
  it('gone: the writer forgets what it remembered of the object', () => {
    const writer = new StatusWriter();
    writer.remember(repo({ resourceVersion: '2' }), repo());
    assert.deepEqual(currentFluxObject(cacheOf(undefined), writer, 'GitRepository', req), { state: 'gone' });
    // forgotten: the old cached version is taken as it is
    assert.equal(writer.fresher('GitRepository', repo())?.metadata.resourceVersion, '1');
  });

  it('active: the writer’s fresher copy, and the cached one beside it', () => {
    const writer = new StatusWriter();
    const written = { ...repo({ resourceVersion: '2' }), status: { observedGeneration: 1 } };
    writer.remember(written, repo());
    const current = currentFluxObject(cacheOf(repo()), writer, 'GitRepository', req);
    assert.equal(current.state, 'active');
    if (current.state !== 'active') return;
    assert.equal(current.obj.metadata.resourceVersion, '2');
    assert.equal(current.cached.metadata.resourceVersion, '1');
  });

  it('deletion comes before suspension; suspension before work', () => {
    const writer = new StatusWriter();
    const deleting = repo({ deletionTimestamp: '2026-12-07T00:00:00Z' }, true);
    assert.equal(currentFluxObject(cacheOf(deleting), writer, 'GitRepository', req).state, 'deleting');
    assert.equal(currentFluxObject(cacheOf(repo({}, true)), writer, 'GitRepository', req).state, 'suspended');
    assert.equal(currentFluxObject(cacheOf(repo({}, false)), writer, 'GitRepository', req).state, 'active');
  });

  it('handledReconcileRequest: the requestedAt annotation as lastHandledReconcileAt, or nothing', () => {
    assert.deepEqual(handledReconcileRequest(repo()), {});
    assert.deepEqual(
      handledReconcileRequest(repo({ annotations: { 'reconcile.fluxcd.io/requestedAt': 'now-1' } })),
      { lastHandledReconcileAt: 'now-1' },
    );
  });
});

describe('core specOrRequestChanged', () => {
  const o = (meta: Partial<KubeObject['metadata']> = {}, status?: unknown): KubeObject =>
    ({
      metadata: { name: 'a', generation: 1, ...meta },
      ...(status !== undefined && { status }),
    }) as KubeObject;
  it('passes creation, deletion from the cache, spec, deletion start and annotation changes', () => {
    assert.equal(specOrRequestChanged(o(), undefined), true);
    assert.equal(specOrRequestChanged(undefined, o()), true);
    assert.equal(specOrRequestChanged(o({ generation: 2 }), o()), true);
    assert.equal(specOrRequestChanged(o({ deletionTimestamp: '2026-12-07T00:00:00Z' }), o()), true);
    assert.equal(
      specOrRequestChanged(o({ annotations: { 'reconcile.fluxcd.io/requestedAt': 'x' } }), o()),
      true,
    );
  });
  it('drops status-only changes (our own writes)', () => {
    assert.equal(
      specOrRequestChanged(o({ resourceVersion: '2' }, { ready: true }), o({ resourceVersion: '1' })),
      false,
    );
    assert.equal(specOrRequestChanged(o({ annotations: {} }), o()), false);
  });
});

describe('flux source conditions', () => {
  const now = '2026-12-07T00:00:00Z';
  it('a failed fetch: FetchFailed, Ready False, Reconciling with retry; news only when the message changes', () => {
    const first = fetchFailedConditions([], 'GitOperationFailed', 'boom', 3, now);
    assert.equal(first.isNew, true);
    assert.deepEqual(
      first.conditions.map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration]),
      [
        ['FetchFailed', 'True', 'GitOperationFailed', 'boom', 3],
        ['Ready', 'False', 'GitOperationFailed', 'boom', 3],
        ['Reconciling', 'True', 'ProgressingWithRetry', 'reconciliation in progress', 3],
      ],
    );
    const again = fetchFailedConditions(
      first.conditions,
      'GitOperationFailed',
      'boom',
      3,
      '2026-12-07T00:01:00Z',
    );
    assert.equal(again.isNew, false);
    assert.deepEqual(again.conditions, first.conditions);
    assert.equal(
      fetchFailedConditions(first.conditions, 'AuthenticationFailed', 'denied', 3, now).isNew,
      true,
    );
  });
  it('a stored artifact: the failure conditions and Stalled gone, ArtifactInStorage and Ready True', () => {
    const failed = fetchFailedConditions(
      [{ type: 'Stalled', status: 'True', reason: 'x', message: 'y' }],
      'Failed',
      'boom',
      1,
      now,
    ).conditions;
    assert.deepEqual(
      artifactStoredConditions(failed, 'stored artifact', 1, now).map((c) => [
        c.type,
        c.status,
        c.reason,
        c.message,
      ]),
      [
        ['Ready', 'True', 'Succeeded', 'stored artifact'],
        ['ArtifactInStorage', 'True', 'Succeeded', 'stored artifact'],
      ],
    );
  });
});
