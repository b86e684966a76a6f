// The second slice's decisions: the Application page, the Notifications page, Restart / Undo, and
// actions sent through the client that acts as the viewer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DashboardApi,
  type DashboardStores,
  notificationsView,
  parseNotifiedKey,
  trimPod,
  type Viewer,
} from '../../../src/dashboard/index.js';
import { type KubeObject, type ObjectRef, ObjectStore, type PatchOptions } from '../../../src/kube/index.js';
import { hashCondition } from '../../../src/notifications/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import type { UserActionClient } from '../../../src/rollouts/index.js';
import { canaryRollout, emptyStores, FakeReviewer, T0 } from './fixtures.js';

/** Records what it sends and as whom. */
class ActingClient implements UserActionClient {
  constructor(
    private readonly stores: DashboardStores,
    readonly sent: { as: string; ref: ObjectRef; patch: unknown; options: PatchOptions }[],
    private readonly as: string,
  ) {}
  async get<T extends KubeObject>(ref: ObjectRef): Promise<T> {
    return this.stores.rollouts.get(`${ref.namespace}/${ref.name}`) as unknown as T;
  }
  async listAll<T extends KubeObject>(): Promise<{ items: T[]; resourceVersion: string }> {
    return { items: this.stores.replicaSets.list() as unknown as T[], resourceVersion: '1' };
  }
  async patch<T extends KubeObject>(ref: ObjectRef, patch: unknown, options: PatchOptions): Promise<T> {
    this.sent.push({ as: this.as, ref, patch, options });
    return {} as T;
  }
  async replace<T extends KubeObject>(obj: KubeObject): Promise<T> {
    return obj as T;
  }
}

const rs = (name: string, revision: number, image: string, owner: string) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'team-a',
    uid: `rs-${name}`,
    annotations: { 'rollout.argoproj.io/revision': String(revision) },
    labels: { 'rollouts-pod-template-hash': name },
    ownerReferences: [{ uid: owner, controller: true }],
  },
  spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
  status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
});

const pod = (name: string, rsName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team-a', uid: `pod-${name}`, ownerReferences: [{ uid: `rs-${rsName}` }] },
  spec: { containers: [{ name: 'app', image: 'x', env: [{ name: 'TOKEN', value: 'secret' }] }] },
  status: {
    phase: 'Running',
    containerStatuses: [{ name: 'app', ready: true, restartCount: 2, state: { running: {} } }],
  },
});

const app = (operation?: unknown) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'shop', namespace: 'team-a' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://git.example/shop.git', path: 'deploy', targetRevision: 'main' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' },
  },
  ...(operation !== undefined && { operation }),
  status: {
    sync: { status: 'Synced', revision: 'a'.repeat(40) },
    health: { status: 'Healthy' },
    resources: [
      {
        group: '',
        version: 'v1',
        kind: 'Service',
        namespace: 'team-a',
        name: 'web',
        status: 'Synced',
        health: { status: 'Healthy' },
      },
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: 'team-a',
        name: 'web',
        status: 'Synced',
        health: { status: 'Healthy' },
      },
    ],
    operationState: {
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: '2026-12-06T11:00:00Z',
      finishedAt: '2026-12-06T11:00:05Z',
      operation: { sync: { revision: 'a'.repeat(40) }, initiatedBy: { automated: true } },
      syncResult: { revision: 'a'.repeat(40), resources: [] },
    },
    history: [
      { id: 1, revision: 'b'.repeat(40), deployedAt: '2026-12-05T10:00:00Z' },
      {
        id: 2,
        revision: 'a'.repeat(40),
        deployedAt: '2026-12-06T11:00:05Z',
        initiatedBy: { username: 'carol' },
      },
    ],
  },
});

const VIEW = [
  'get applications team-a',
  'get rollouts team-a',
  'list replicasets team-a',
  'list pods team-a',
];
const OPERATE = [...VIEW, 'patch applications team-a', 'patch rollouts team-a'];

function setUp(grants: Record<string, readonly string[]>, operation?: unknown) {
  const stores: DashboardStores = { ...emptyStores(), pods: new ObjectStore() };
  const web = canaryRollout('web', 'team-a', {
    stableRS: 'v2',
    currentPodHash: 'v2',
    currentStepIndex: 4,
    phase: 'Healthy',
  });
  stores.rollouts.upsert(web);
  stores.replicaSets.upsert(rs('v1', 1, 'demo:v1', web.metadata.uid ?? '') as never);
  stores.replicaSets.upsert(rs('v2', 2, 'demo:v2', web.metadata.uid ?? '') as never);
  stores.pods?.upsert(trimPod(pod('web-v2-abc', 'v2') as never));
  stores.applications?.upsert(app(operation) as never);
  const sent: ActingClient['sent'] = [];
  const api = new DashboardApi({
    stores,
    reviewer: new FakeReviewer(grants),
    client: new ActingClient(stores, sent, 'controller'),
    actAs: (viewer: Viewer) => new ActingClient(stores, sent, viewer.username),
    readOnly: false,
    now: () => T0,
    logger: silentLogger(),
  });
  return { api, sent };
}

describe('dashboard: Application page', () => {
  it('shows source, sync, health, operation, history and the tree with the Rollout, its ReplicaSets and pods', async () => {
    const { api } = setUp({ alice: VIEW });
    const page = await api.applications.page({ username: 'alice' }, 'team-a', 'shop');
    assert.equal(page.status, 200);
    if (page.status !== 200) return;
    const p = page.body;
    assert.equal(p.sync, 'Synced');
    assert.equal(p.health, 'Healthy');
    assert.equal(p.targetRevision, 'main');
    assert.equal(p.operation?.phase, 'Succeeded');
    assert.equal(p.operation?.initiatedBy, 'automated');
    assert.deepEqual(
      p.history.map((h) => [h.id, h.initiatedBy]),
      [
        [2, 'carol'],
        [1, ''],
      ],
    );
    assert.deepEqual(p.rollouts, [{ namespace: 'team-a', name: 'web' }]);
    const rollout = p.tree.find((n) => n.kind === 'Rollout');
    assert.equal(rollout?.rollout?.phase, 'Healthy');
    assert.deepEqual(
      rollout?.children.map((c) => c.name),
      ['v2', 'v1'],
    );
    assert.deepEqual(rollout?.children[0]?.pods, [
      { name: 'web-v2-abc', status: 'Running', ready: '1/1', restarts: 2 },
    ]);
    assert.deepEqual(p.actions, { sync: true, refresh: true, rollback: true });
  });

  it('does not expand a Rollout the viewer may not get, and refuses the page without get applications', async () => {
    const { api } = setUp({ bob: ['get applications team-a'], eve: [] });
    const page = await api.applications.page({ username: 'bob' }, 'team-a', 'shop');
    const rollout = page.status === 200 ? page.body.tree.find((n) => n.kind === 'Rollout') : undefined;
    assert.equal(rollout?.rollout, undefined);
    assert.deepEqual(rollout?.children, []);
    assert.equal((await api.applications.page({ username: 'eve' }, 'team-a', 'shop')).status, 403);
    assert.equal((await api.applications.page({ username: 'bob' }, 'team-a', 'nope')).status, 404);
  });

  it('Sync and Refresh need patch applications and are sent as the viewer', async () => {
    const viewer = setUp({ alice: VIEW });
    const refused = await viewer.api.applications.act({ username: 'alice' }, 'team-a', 'shop', 'sync');
    assert.equal(refused.status, 403);
    assert.match(refused.status === 403 ? refused.error : '', /may not patch applications/);
    assert.equal(viewer.sent.length, 0);

    const { api, sent } = setUp({ carol: OPERATE });
    assert.equal((await api.applications.act({ username: 'carol' }, 'team-a', 'shop', 'sync')).status, 200);
    assert.equal(
      (await api.applications.act({ username: 'carol' }, 'team-a', 'shop', 'refresh')).status,
      200,
    );
    assert.deepEqual(
      sent.map((s) => [s.as, s.ref.kind, s.patch]),
      [
        [
          'carol',
          'Application',
          { operation: { sync: { prune: false }, initiatedBy: { username: 'carol' } } },
        ],
        ['carol', 'Application', { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } }],
      ],
    );
  });

  it('refuses a second sync while one is requested', async () => {
    const { api, sent } = setUp({ carol: OPERATE }, { sync: {} });
    const answer = await api.applications.act({ username: 'carol' }, 'team-a', 'shop', 'sync');
    assert.equal(answer.status, 400);
    assert.equal(sent.length, 0);
  });
});

describe('dashboard: Restart and Undo', () => {
  it('need patch rollouts and are sent as the viewer; undo restores the chosen revision', async () => {
    const viewer = setUp({ alice: VIEW.filter((g) => !g.startsWith('patch')) });
    const refused = await viewer.api.act({ username: 'alice' }, 'team-a', 'web', 'restart');
    assert.match(refused.status === 403 ? refused.error : '', /may not patch rollouts\.argoproj\.io/);

    const { api, sent } = setUp({ carol: OPERATE });
    const restarted = await api.act({ username: 'carol' }, 'team-a', 'web', 'restart');
    assert.equal(restarted.status, 200);
    assert.deepEqual(sent.at(-1)?.patch, { spec: { restartAt: '2026-12-06T12:00:00Z' } });
    assert.equal(sent.at(-1)?.as, 'carol');

    const undone = await api.act({ username: 'carol' }, 'team-a', 'web', 'undo', { revision: 1 });
    assert.deepEqual(undone, { status: 200, body: { message: 'rollout "web": undo to revision 1 sent' } });
    assert.deepEqual(sent.at(-1)?.patch, [
      {
        op: 'replace',
        path: '/spec/template',
        value: { spec: { containers: [{ name: 'app', image: 'demo:v1' }] } },
      },
    ]);
    const missing = await api.act({ username: 'carol' }, 'team-a', 'web', 'undo', { revision: 7 });
    assert.deepEqual(missing, { status: 400, error: 'unable to find specified revision 7 in history' });
    assert.equal(
      (await api.act({ username: 'carol' }, 'team-a', 'web', 'undo', { revision: -1 })).status,
      400,
    );
  });

  it('the Rollout page lists pods under their ReplicaSet, trimmed of everything a row does not show', async () => {
    const { api } = setUp({ alice: VIEW });
    const page = await api.rollout({ username: 'alice' }, 'team-a', 'web');
    const v2 = page.status === 200 ? page.body.info.replicaSets.find((r) => r.name === 'v2') : undefined;
    assert.deepEqual(
      v2?.pods.map((p) => [p.name, p.status, p.ready]),
      [['web-v2-abc', 'Running', '1/1']],
    );
    assert.equal(JSON.stringify(trimPod(pod('p', 'v2') as never)).includes('secret'), false);
    assert.deepEqual(page.status === 200 && page.body.actions.undo, true);
  });
});

describe('dashboard: Notifications page', () => {
  const data = {
    'service.slack': 'token: $slack-token\napiURL: http://slack.local/api/',
    'trigger.on-rollout-completed':
      '- when: rollout.status.phase == "Healthy"\n  send: [rollout-completed]\n',
    'template.rollout-completed': 'message: done\nslack:\n  attachments: "[]"\n',
    defaultTriggers: '- on-rollout-completed\n',
  };
  const key = `on-rollout-completed:[0].${hashCondition('rollout.status.phase == "Healthy"')}:slack:deploys`;
  const object = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name: 'web',
      namespace: 'team-a',
      annotations: {
        'notifications.argoproj.io/subscribe.on-rollout-completed.slack': 'deploys',
        'notified.notifications.argoproj.io': JSON.stringify({ [key]: T0 / 1000 }),
      },
    },
  };
  const failure = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e1', namespace: 'team-a' },
    involvedObject: { kind: 'Rollout', namespace: 'team-a', name: 'web' },
    message: "trigger 'on-rollout-completed' to slack:gone failed: channel_not_found; not retried",
    lastTimestamp: '2026-12-06T12:01:00Z',
    count: 1,
  };

  it('lists triggers, templates and services without their options, and per object subscriptions, sends and failures', () => {
    const view = notificationsView(
      [
        {
          namespace: 'argo-rollouts',
          name: 'argo-rollouts-notification-configmap',
          data,
          kinds: ['Rollout'],
        },
      ],
      [{ kind: 'Rollout', object: object as never }],
      [failure as never],
    );
    const config = view.configs[0];
    assert.deepEqual(config?.services, [{ name: 'slack', type: 'slack' }]);
    assert.deepEqual(
      config?.triggers.map((t) => t.name),
      ['on-rollout-completed'],
    );
    assert.deepEqual(config?.templates, [{ name: 'rollout-completed', sections: ['message', 'slack'] }]);
    assert.equal(JSON.stringify(view).includes('slack-token'), false, 'no service option reaches the view');
    assert.equal(JSON.stringify(view).includes('slack.local'), false);
    const row = view.objects[0];
    assert.deepEqual(row?.subscriptions, [
      { trigger: 'on-rollout-completed', service: 'slack', recipient: 'deploys' },
    ]);
    assert.deepEqual(row?.sent, [
      { trigger: 'on-rollout-completed', service: 'slack', recipient: 'deploys', at: T0 },
    ]);
    assert.equal(row?.failures[0]?.at, Date.parse('2026-12-06T12:01:00Z'));
  });

  it('reads notified-state keys back, with or without oncePer, recipients with colons', () => {
    const hash = hashCondition('true');
    assert.deepEqual(parseNotifiedKey(`on-sync:[0].${hash}:webhook:https://x:8080/y`), {
      trigger: 'on-sync',
      service: 'webhook',
      recipient: 'https://x:8080/y',
    });
    assert.deepEqual(parseNotifiedKey(`abc123:on-sync:[1].${hash}:slack:ops`), {
      trigger: 'on-sync',
      service: 'slack',
      recipient: 'ops',
    });
    assert.equal(parseNotifiedKey('garbage'), undefined);
  });

  it('the page needs get configmaps for the configuration and list events for failures', async () => {
    const stores: DashboardStores = {
      ...emptyStores(),
      notificationConfigs: [
        {
          namespace: 'argo-rollouts',
          name: 'argo-rollouts-notification-configmap',
          kinds: ['Rollout'],
          store: new ObjectStore(),
        },
      ],
      notificationFailures: new ObjectStore(),
    };
    stores.notificationConfigs?.[0]?.store.upsert({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argo-rollouts-notification-configmap', namespace: 'argo-rollouts' },
      data,
    } as never);
    stores.rollouts.upsert(object as never);
    stores.notificationFailures?.upsert(failure as never);
    const api = new DashboardApi({
      stores,
      reviewer: new FakeReviewer({
        ops: ['get configmaps argo-rollouts', 'list rollouts team-a', 'list events team-a'],
        dev: ['list rollouts team-a'],
      }),
      client: {} as never,
      readOnly: true,
      now: () => T0,
      logger: silentLogger(),
    });
    const ops = await api.notifications.page({ username: 'ops' });
    assert.equal(ops.status === 200 && ops.body.configs.length, 1);
    assert.equal(ops.status === 200 && ops.body.objects[0]?.failures.length, 1);
    const dev = await api.notifications.page({ username: 'dev' });
    assert.equal(dev.status === 200 && dev.body.configs.length, 0);
    assert.equal(dev.status === 200 && dev.body.objects[0]?.failures.length, 0);
  });
});
