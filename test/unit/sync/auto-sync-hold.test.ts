import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Application, AUTO_SYNC_HOLD_ANNOTATION, decideAutoSync } from '../../../src/sync/index.js';

const source = { repoURL: 'https://git.example/r.git', path: 'web', targetRevision: 'main' };

const app = (opts: { held?: boolean; synced?: { revision: string; path?: string }; selfHeal?: boolean }) =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'web',
      ...(opts.held && { annotations: { [AUTO_SYNC_HOLD_ANNOTATION]: 'ApplicationSet/fleet' } }),
    },
    spec: {
      source,
      destination: { namespace: 'web' },
      syncPolicy: { automated: { prune: true, selfHeal: opts.selfHeal ?? true } },
    },
    ...(opts.synced && {
      status: {
        operationState: {
          operation: { sync: { revision: opts.synced.revision } },
          phase: 'Succeeded',
          startedAt: '2026-12-06T10:00:00Z',
          finishedAt: '2026-12-06T10:00:01Z',
          syncResult: {
            revision: opts.synced.revision,
            source: { ...source, path: opts.synced.path ?? 'web' },
          },
        },
      },
    }),
  }) as Application;

const decide = (a: Application, revision: string) =>
  decideAutoSync({
    app: a,
    revision,
    syncStatus: 'OutOfSync',
    wouldPruneAll: false,
    nowMs: Date.parse('2026-12-06T11:00:00Z'),
  });

describe('sync: the auto-sync hold (RollingSync)', () => {
  it('a held Application never synced is not auto-synced', () => {
    assert.deepEqual(decide(app({ held: true }), 'abc'), {
      kind: 'none',
      reason: 'automated sync to abc is held by ApplicationSet/fleet',
    });
    assert.equal(decide(app({}), 'abc').kind, 'sync');
  });
  it('a new revision waits; drift at the synced revision and source self-heals', () => {
    assert.equal(decide(app({ held: true, synced: { revision: 'abc' } }), 'def').kind, 'none');
    assert.equal(decide(app({ held: true, synced: { revision: 'abc' } }), 'abc').kind, 'sync');
  });
  it('a changed source at the same revision waits', () => {
    assert.equal(decide(app({ held: true, synced: { revision: 'abc', path: 'old' } }), 'abc').kind, 'none');
  });
  it('without selfHeal the hold changes nothing at the synced revision', () => {
    assert.equal(
      decide(app({ held: true, selfHeal: false, synced: { revision: 'abc' } }), 'abc').kind,
      'none',
    );
  });
});

describe('sync: automated.enabled (Argo CD IsAutomatedSyncEnabled)', () => {
  const withEnabled = (enabled: boolean | undefined) => {
    const a = app({});
    const automated = { ...a.spec.syncPolicy?.automated, ...(enabled !== undefined && { enabled }) };
    return { ...a, spec: { ...a.spec, syncPolicy: { automated } } } as Application;
  };
  it('enabled: false switches automated sync off and keeps its settings', () => {
    assert.deepEqual(decide(withEnabled(false), 'abc'), {
      kind: 'none',
      reason: 'automated sync is disabled',
    });
  });
  it('enabled: true or unset syncs', () => {
    assert.equal(decide(withEnabled(true), 'abc').kind, 'sync');
    assert.equal(decide(withEnabled(undefined), 'abc').kind, 'sync');
  });
});
