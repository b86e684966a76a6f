import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ApplicationSetStatus,
  applicationSetHealth,
  buildStatus,
  rollingSyncOperation,
  withAutoSyncHold,
} from '../../../src/applicationsets/index.js';
import { AUTO_SYNC_HOLD_ANNOTATION } from '../../../src/sync/index.js';

const now = '2026-12-06T10:02:00Z';
const entry = {
  application: 'web-r1',
  message: 'm',
  status: 'Healthy' as const,
  step: '1',
  targetRevisions: ['abc'],
};
const progressing = {
  type: 'RolloutProgressing' as const,
  status: 'True' as const,
  reason: 'ApplicationSetModified',
  message: 'ApplicationSet is performing rollout of step 1',
};

describe('applicationsets: RollingSync status', () => {
  it('applicationStatus is written with RollingSync, kept when not recomputed, removed without it', () => {
    const written = buildStatus(undefined, [progressing], true, [], now, {
      rollingSync: true,
      applicationStatus: [entry],
    });
    assert.deepEqual(written.applicationStatus, [entry]);
    assert.equal(written.health?.status, 'Progressing');
    const kept = buildStatus(written, [], false, undefined, now, { rollingSync: true });
    assert.deepEqual(kept.applicationStatus, [entry]);
    assert.ok(
      kept.conditions?.some((c) => c.type === 'RolloutProgressing'),
      'rollout condition kept',
    );
    const off = buildStatus(written, [], true, [], now);
    assert.equal(off.applicationStatus, undefined);
    assert.ok(!off.conditions?.some((c) => c.type === 'RolloutProgressing'), 'rollout condition removed');
  });
  it('a stopped rollout makes the ApplicationSet Degraded with its message', () => {
    const message = 'ApplicationSet rollout stopped at step 2: Application web-r2 is Degraded';
    const status: ApplicationSetStatus = buildStatus(
      undefined,
      [
        { type: 'ResourcesUpToDate', status: 'True', reason: 'ApplicationSetUpToDate', message: 'ok' },
        { type: 'RolloutProgressing', status: 'False', reason: 'ApplicationSetRolloutError', message },
      ],
      true,
      [],
      now,
      { rollingSync: true, applicationStatus: [] },
    );
    assert.deepEqual(applicationSetHealth(status.conditions ?? []), { status: 'Degraded', message });
  });
  it('every generated Application is held; a due one gets the operation Argo writes', () => {
    const generated = withAutoSyncHold(
      ['a', 'b'].map((name) => ({
        apiVersion: 'argoproj.io/v1alpha1' as const,
        kind: 'Application' as const,
        metadata: { name, annotations: { keep: 'me' } },
        spec: { syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } },
      })),
      'fleet',
    );
    assert.deepEqual(
      generated.map((g) => g.metadata.annotations),
      [
        { keep: 'me', [AUTO_SYNC_HOLD_ANNOTATION]: 'ApplicationSet/fleet' },
        { keep: 'me', [AUTO_SYNC_HOLD_ANNOTATION]: 'ApplicationSet/fleet' },
      ],
    );
    assert.deepEqual(rollingSyncOperation(generated[1]?.spec ?? {}), {
      initiatedBy: { username: 'applicationset-controller', automated: true },
      info: [
        { name: 'Reason', value: 'ApplicationSet RollingSync triggered a sync of this Application resource' },
      ],
      sync: { syncOptions: ['CreateNamespace=true'], prune: true },
      retry: { limit: 5 },
    });
  });
});
