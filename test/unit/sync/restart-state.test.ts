import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import { planSync } from '../../../src/sync/controller/sync-tasks.js';
import {
  type Application,
  buildStatus,
  type Comparison,
  decideAutoSync,
  nextRetryAtMs,
  type OperationState,
  parseSyncOptions,
} from '../../../src/sync/index.js';

// What a controller finds in an Application's status when it starts: the state a killed process
// (or an older version) left behind. Each must lead somewhere, never to a sync stuck forever.

const REV = 'a'.repeat(40);
const automated = (status: Application['status'], extra: Partial<Application> = {}): Application =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'app', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'file:///repo', path: '.', targetRevision: 'HEAD' },
      destination: { namespace: 'demo' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status,
    ...extra,
  }) as Application;

const op = { sync: { revision: REV, prune: true }, initiatedBy: { automated: true } };

describe('sync after a restart: automated decisions', () => {
  it('restarts an operation left Running without a requested operation', () => {
    const app = automated({
      operationState: { operation: op, phase: 'Running', startedAt: '2026-01-01T00:00:00Z' },
    });
    const d = decideAutoSync({ app, revision: REV, syncStatus: 'OutOfSync', wouldPruneAll: false, nowMs: 0 });
    assert.equal(d.kind, 'sync');
  });

  it('retries a sync that failed pruning a kind-less object (the pre-fix bug), once per attempt', () => {
    const failed: OperationState = {
      operation: op,
      phase: 'Failed',
      message:
        'one or more objects failed to apply, reason:  demo/web: the server has no resource for kind  in v1',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:10Z',
      syncResult: {
        revision: REV,
        resources: [
          { group: '', version: 'v1', kind: '', namespace: 'demo', name: 'web', status: 'SyncFailed' },
        ],
      },
    };
    const d = decideAutoSync({
      app: automated({ operationState: failed }),
      revision: REV,
      syncStatus: 'OutOfSync',
      wouldPruneAll: false,
      nowMs: 0,
    });
    assert.equal(d.kind, 'sync');
    // A genuine failure at the same revision still blocks.
    const genuine = { ...failed, syncResult: { revision: REV, resources: [] } };
    const blocked = decideAutoSync({
      app: automated({ operationState: genuine }),
      revision: REV,
      syncStatus: 'OutOfSync',
      wouldPruneAll: false,
      nowMs: 0,
    });
    assert.equal(blocked.kind, 'blocked');
  });
});

describe('sync after a restart: retry waits are persisted', () => {
  const waiting: OperationState = {
    operation: { ...op, retry: { limit: 5, backoff: { duration: '5s', factor: 2 } } },
    phase: 'Running',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    retryCount: 2,
  };

  it('a failed attempt waiting for retry #n runs at finishedAt + backoff(n)', () => {
    assert.equal(nextRetryAtMs(waiting), Date.parse('2026-01-01T00:01:10Z'));
  });

  it('nothing waits for a running attempt or a finished operation', () => {
    const { finishedAt: _f, ...running } = waiting;
    assert.equal(nextRetryAtMs(running), undefined);
    assert.equal(nextRetryAtMs({ ...waiting, phase: 'Failed' }), undefined);
    assert.equal(nextRetryAtMs({ ...waiting, retryCount: 0 }), undefined);
  });
});

describe('sync after a restart: the inventory never holds an entry without a kind', () => {
  const cm = (name: string, kind: string): KubeObject => ({
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'demo' },
  });

  it('drops such entries written by older versions and writes none itself', () => {
    const app = automated({
      resources: [
        { group: '', version: 'v1', kind: '', namespace: 'demo', name: 'web', requiresPruning: true },
        { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'demo', name: 'web' },
      ],
    });
    const comparison: Comparison = {
      revision: REV,
      desired: { revision: REV, sourceType: 'Directory', objects: [cm('web', 'ConfigMap')], bytes: 0 },
      resources: [
        {
          key: '/ConfigMap/demo/web',
          desired: cm('web', 'ConfigMap'),
          status: 'Synced',
          requiresPruning: false,
          wave: 0,
        },
        { key: '//demo/stray', live: cm('stray', ''), status: 'OutOfSync', requiresPruning: true, wave: 0 },
      ],
      hooks: [],
      syncStatus: 'Synced',
    };
    const status = buildStatus({ app, comparison, conditions: {}, nowIso: '2026-01-01T00:00:00Z' });
    assert.deepEqual(
      status.resources?.map((r) => `${r.kind}/${r.name}`),
      ['ConfigMap/web'],
    );
  });
});

describe('sync after a restart: nothing without a kind is ever pruned', () => {
  it('plans no prune for a kind-less live object, and prunes a named one', () => {
    const obj = (name: string, kind: string): KubeObject => ({
      apiVersion: 'v1',
      kind,
      metadata: { name, namespace: 'demo' },
    });
    const comparison: Comparison = {
      revision: REV,
      desired: { revision: REV, sourceType: 'Directory', objects: [], bytes: 0 },
      resources: [
        { key: '//demo/a', live: obj('a', ''), status: 'OutOfSync', requiresPruning: true, wave: 0 },
        {
          key: '/ConfigMap/demo/b',
          live: obj('b', 'ConfigMap'),
          status: 'OutOfSync',
          requiresPruning: true,
          wave: 0,
        },
      ],
      hooks: [],
      syncStatus: 'OutOfSync',
    };
    const { tasks } = planSync(comparison, op, parseSyncOptions());
    assert.deepEqual(
      tasks.map((t) => `${t.kind} ${t.obj.kind}/${t.obj.metadata.name}`),
      ['prune ConfigMap/b'],
    );
  });
});
