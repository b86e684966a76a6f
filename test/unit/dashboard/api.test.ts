import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actionAccess,
  DashboardApi,
  type DashboardStores,
  deniedMessage,
} from '../../../src/dashboard/index.js';
import type { KubeObject, ObjectRef, PatchOptions } from '../../../src/kube/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import { promotePatches, type UserActionClient } from '../../../src/rollouts/index.js';
import { canaryRollout, emptyStores, FakeReviewer, T0 } from './fixtures.js';

/** Sends nothing: records the patches the dashboard would send. */
class RecordingClient implements UserActionClient {
  readonly patches: { ref: ObjectRef; patch: unknown; subresource: string | undefined }[] = [];
  constructor(private readonly stores: DashboardStores) {}
  async get<T extends KubeObject>(ref: ObjectRef): Promise<T> {
    return this.stores.rollouts.get(`${ref.namespace}/${ref.name}`) as unknown as T;
  }
  async listAll<T extends KubeObject>(): Promise<{ items: T[]; resourceVersion: string }> {
    return { items: [], resourceVersion: '1' };
  }
  async patch<T extends KubeObject>(ref: ObjectRef, patch: unknown, options: PatchOptions): Promise<T> {
    this.patches.push({ ref, patch, subresource: options.subresource });
    return (await this.get(ref)) as T;
  }
  async replace<T extends KubeObject>(obj: KubeObject): Promise<T> {
    return obj as T;
  }
}

const paused = () =>
  canaryRollout('web', 'team-a', {
    currentStepIndex: 1,
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-06T11:59:00Z' }],
    controllerPause: true,
  });

function setUp(grants: Record<string, readonly string[]>, readOnly = false) {
  const stores = emptyStores();
  stores.rollouts.upsert(paused());
  stores.rollouts.upsert(canaryRollout('api', 'team-b'));
  const reviewer = new FakeReviewer(grants);
  const client = new RecordingClient(stores);
  const api = new DashboardApi({ stores, reviewer, client, readOnly, now: () => T0, logger: silentLogger() });
  return { api, client, reviewer };
}

const VIEWER = [
  'list rollouts team-a',
  'get rollouts team-a',
  'get analysisruns team-a',
  'list replicasets team-a',
];
const OPERATOR = [...VIEWER, 'patch rollouts/status team-a', 'patch rollouts team-a'];

describe('dashboard: access decisions', () => {
  it("asks for the verbs the plugin's patches need", () => {
    const ns = 'team-a';
    const status = {
      verb: 'patch',
      group: 'argoproj.io',
      resource: 'rollouts',
      subresource: 'status',
      namespace: ns,
      name: 'web',
    };
    assert.deepEqual(actionAccess(ns, 'web', promotePatches(paused())), [status]);
    const specPaused = canaryRollout('web', ns, {}, { paused: true });
    assert.deepEqual(
      actionAccess(ns, 'web', promotePatches(specPaused)).map((a) => a.subresource ?? ''),
      ['status', ''],
    );
    assert.deepEqual(actionAccess(ns, 'web', {}), [
      { verb: 'get', group: 'argoproj.io', resource: 'rollouts', namespace: ns, name: 'web' },
    ]);
  });

  it('names the user, the missing verb and how to check it', () => {
    const message = deniedMessage(
      { username: 'alice' },
      {
        verb: 'patch',
        group: 'argoproj.io',
        resource: 'rollouts',
        subresource: 'status',
        namespace: 'team-a',
      },
    );
    assert.equal(
      message,
      'user "alice" may not patch rollouts/status.argoproj.io in namespace "team-a"; ask for a Role that grants it (kubectl auth can-i patch rollouts/status -n team-a)',
    );
  });

  it('the fleet shows only namespaces the viewer may list', async () => {
    const { api } = setUp({ alice: VIEWER });
    const fleet = await api.fleet({ username: 'alice' });
    assert.equal(fleet.status, 200);
    assert.deepEqual(fleet.status === 200 && fleet.body.rows.map((r) => `${r.namespace}/${r.name}`), [
      'team-a/web',
    ]);
    const everywhere = setUp({ root: ['list rollouts *'] });
    const all = await everywhere.api.fleet({ username: 'root' });
    assert.deepEqual(all.status === 200 && all.body.rows.map((r) => r.name), ['web', 'api']);
  });

  it('a Rollout page needs get rollouts; children the viewer may not read are left out', async () => {
    const { api } = setUp({ alice: VIEWER, bob: ['get rollouts team-a'] });
    assert.equal((await api.rollout({ username: 'alice' }, 'team-b', 'api')).status, 403);
    assert.equal((await api.rollout({ username: 'alice' }, 'team-a', 'nope')).status, 404);
    const page = await api.rollout({ username: 'bob' }, 'team-a', 'web');
    assert.deepEqual(page.status === 200 && page.body.hidden, ['analysisruns', 'replicasets', 'pods']);
    assert.deepEqual(page.status === 200 && page.body.info.step, '1/4');
  });

  it('promote is refused with a clear message without patch rights, sent with them', async () => {
    const viewer = setUp({ alice: VIEWER });
    const refused = await viewer.api.act({ username: 'alice' }, 'team-a', 'web', 'promote');
    assert.deepEqual(refused, {
      status: 403,
      error:
        'user "alice" may not patch rollouts/status.argoproj.io in namespace "team-a"; ask for a Role that grants it (kubectl auth can-i patch rollouts/status -n team-a)',
    });
    assert.equal(viewer.client.patches.length, 0);

    const operator = setUp({ carol: OPERATOR });
    const done = await operator.api.act({ username: 'carol' }, 'team-a', 'web', 'promote');
    assert.equal(done.status, 200);
    assert.deepEqual(operator.client.patches, [
      {
        ref: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: 'team-a', name: 'web' },
        patch: { status: { pauseConditions: null } },
        subresource: 'status',
      },
    ]);
    await operator.api.act({ username: 'carol' }, 'team-a', 'web', 'abort');
    assert.deepEqual(operator.client.patches.at(-1)?.patch, { status: { abort: true } });
  });

  it('read-only mode and unknown actions refuse before asking anything', async () => {
    const { api, client, reviewer } = setUp({ carol: OPERATOR }, true);
    const refused = await api.act({ username: 'carol' }, 'team-a', 'web', 'promote');
    assert.equal(refused.status, 403);
    assert.match(refused.status === 403 ? refused.error : '', /read-only/);
    assert.equal((await api.act({ username: 'carol' }, 'team-a', 'web', 'delete')).status, 400);
    assert.equal(client.patches.length, 0);
    assert.equal(reviewer.asked.length, 0);
  });
});
