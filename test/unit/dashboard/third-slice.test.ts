// The third slice's decisions: the Application page's diff against Git (Secret values hidden,
// resources the viewer may not get left without content), the commits behind its history, and
// Rollback (Argo CD's refusals, patch applications, sent as the viewer).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplicationGitSource, DashboardDiff } from '../../../src/dashboard/application-git.js';
import {
  DashboardApi,
  type DashboardStores,
  notificationsView,
  type Viewer,
} from '../../../src/dashboard/index.js';
import type { KubeObject, ObjectRef, PatchOptions } from '../../../src/kube/index.js';
import { parseSentMarker, sentAnnotationPrefix, sentMarkerValue } from '../../../src/notifications/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import type { UserActionClient } from '../../../src/rollouts/index.js';
import { type Application, compareResource, hideSecretData, planRollback } from '../../../src/sync/index.js';
import { emptyStores, FakeReviewer, T0 } from './fixtures.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function app(overrides: { automated?: boolean; operation?: unknown } = {}): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'team-a', uid: 'app-uid' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example/shop.git', path: 'deploy', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' },
      ...(overrides.automated && { syncPolicy: { automated: { prune: true } } }),
    },
    ...(overrides.operation !== undefined && { operation: overrides.operation }),
    status: {
      sync: { status: 'OutOfSync', revision: A },
      history: [
        { id: 1, revision: B, deployedAt: '2026-12-05T10:00:00Z' },
        { id: 2, revision: A, deployedAt: '2026-12-06T11:00:05Z' },
      ],
    },
  } as unknown as Application;
}

const secret = (data: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'team-a' },
    data,
    ...extra,
  }) as KubeObject;

class FakeGit implements ApplicationGitSource {
  diffs = 0;
  async diff(): Promise<DashboardDiff> {
    this.diffs++;
    const [desired, live] = hideSecretData(
      secret({ password: 'bmV3' }),
      secret({ password: 'b2xk' }, { metadata: { name: 'db', namespace: 'team-a' } }),
    );
    return {
      revision: A,
      resources: [
        {
          key: '/Service/team-a/web',
          apiVersion: 'v1',
          kind: 'Service',
          namespace: 'team-a',
          name: 'web',
          inSync: true,
          desired: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } },
        },
        {
          key: '/ConfigMap/team-a/settings',
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'team-a',
          name: 'settings',
          inSync: false,
          live: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'settings' },
            data: { a: '1' },
          } as never,
          desired: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'settings' },
            data: { a: '2' },
          } as never,
        },
        {
          key: '/Secret/team-a/db',
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'team-a',
          name: 'db',
          inSync: false,
          ...(live !== undefined && { live }),
          desired,
        },
      ],
      resourceNames: { '/Service': 'services', '/ConfigMap': 'configmaps', '/Secret': 'secrets' },
    };
  }
  async commit(_url: string, sha: string) {
    if (sha === B) throw new Error('unable to resolve commit');
    return {
      author: 'Ada <ada@example.com>',
      date: '2026-12-06T10:59:00Z',
      message: 'Bump web to v2\n\nWhy.',
    };
  }
}

class RecordingClient implements UserActionClient {
  constructor(
    readonly sent: { as: string; ref: ObjectRef; patch: unknown }[],
    private readonly as: string,
  ) {}
  async get<T extends KubeObject>(): Promise<T> {
    return {} as T;
  }
  async listAll<T extends KubeObject>(): Promise<{ items: T[]; resourceVersion: string }> {
    return { items: [], resourceVersion: '1' };
  }
  async patch<T extends KubeObject>(ref: ObjectRef, patch: unknown, _o: PatchOptions): Promise<T> {
    this.sent.push({ as: this.as, ref, patch });
    return {} as T;
  }
  async replace<T extends KubeObject>(obj: KubeObject): Promise<T> {
    return obj as T;
  }
}

function setUp(grants: Record<string, readonly string[]>, a: Application = app()) {
  const stores: DashboardStores = emptyStores();
  stores.applications?.upsert(a);
  const sent: RecordingClient['sent'] = [];
  const git = new FakeGit();
  const api = new DashboardApi({
    stores,
    reviewer: new FakeReviewer(grants),
    client: new RecordingClient(sent, 'controller'),
    actAs: (viewer: Viewer) => new RecordingClient(sent, viewer.username),
    readOnly: false,
    now: () => T0,
    logger: silentLogger(),
    git,
  });
  return { api, sent, git };
}

describe('secret data in diffs', () => {
  it('hides values with plus signs: equal values alike, different values differently, stringData folded', () => {
    const [desired, live] = hideSecretData(
      secret({ a: 'c2FtZQ==' }, { stringData: { b: 'plain' } }),
      secret(
        { a: 'c2FtZQ==', b: 'b3RoZXI=' },
        {
          metadata: {
            name: 'db',
            annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"a":"c2FtZQ=="}}' },
          },
        },
      ),
    );
    assert.deepEqual((desired as { data?: unknown }).data, { a: '++++++++', b: '++++++++' });
    assert.deepEqual((live as { data?: unknown }).data, { a: '++++++++', b: '++++++++++++' });
    assert.equal((desired as { stringData?: unknown }).stringData, undefined);
    assert.equal(live?.metadata.annotations, undefined);
    const text = JSON.stringify([desired, live]);
    for (const v of ['c2FtZQ==', 'plain', 'b3RoZXI=']) assert.ok(!text.includes(v), `${v} hidden`);
  });

  it('a Secret written with stringData is compared by its data (a changed value is OutOfSync)', () => {
    const desired = secret({}, { stringData: { password: 'new' } });
    delete (desired as { data?: unknown }).data;
    const stored = (value: string) => secret({ password: Buffer.from(value).toString('base64') });
    assert.equal(compareResource(stored('new'), stored('old'), undefined, desired).inSync, false);
    assert.equal(compareResource(stored('new'), stored('new'), undefined, desired).inSync, true);
  });

  it('leaves other kinds alone', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data: { a: '1' },
    } as KubeObject;
    assert.deepEqual(hideSecretData(cm, undefined), [cm, undefined]);
  });
});

describe('rollback (Argo CD rules)', () => {
  it('is a sync of the entry revision as the user; refused with auto-sync on, an unknown id or an operation running', () => {
    const plan = planRollback(app(), 1, 'carol');
    assert.equal(plan.kind, 'rollback');
    assert.deepEqual(plan.kind === 'rollback' && plan.operation, {
      sync: { revision: B, prune: false },
      initiatedBy: { username: 'carol' },
    });
    assert.deepEqual(planRollback(app({ automated: true }), 1, 'carol'), {
      kind: 'refused',
      message: 'rollback cannot be initiated when auto-sync is enabled',
    });
    assert.deepEqual(planRollback(app(), 7, 'carol'), {
      kind: 'refused',
      message: 'application team-a/shop does not have deployment with id 7',
    });
    assert.equal(planRollback(app({ operation: { sync: {} } }), 1, 'carol').kind, 'refused');
    const off = app({ automated: true });
    (off.spec.syncPolicy as { automated: { enabled?: boolean } }).automated.enabled = false;
    assert.equal(planRollback(off, 1, 'carol').kind, 'rollback');
  });
});

describe('dashboard: diff against Git, history commits, Rollback', () => {
  const VIEW = ['get applications team-a', 'get configmaps team-a', 'get services team-a'];

  it('shows each resource diff; a Secret never with its values, a kind the viewer may not get without content', async () => {
    const { api } = setUp({ bob: [...VIEW, 'get secrets team-a'], eve: VIEW, mallory: [] });
    const answer = await api.applications.diff({ username: 'bob' }, 'team-a', 'shop');
    assert.equal(answer.status, 200);
    if (answer.status !== 200) return;
    assert.equal(answer.body.outOfSync, 2);
    assert.deepEqual(
      answer.body.resources.map((r) => [r.kind, r.status, r.hidden]),
      [
        ['ConfigMap', 'OutOfSync', false],
        ['Secret', 'OutOfSync', false],
        ['Service', 'Synced', false],
      ],
    );
    const cm = answer.body.resources[0]?.diff ?? '';
    assert.match(cm, /^-\s+a: "1"$/m);
    assert.match(cm, /^\+\s+a: "2"$/m);
    const body = JSON.stringify(answer.body);
    for (const v of ['bmV3', 'b2xk']) assert.ok(!body.includes(v), 'no Secret value in the answer');
    assert.match(answer.body.resources[1]?.diff ?? '', /^\+ {2}password: \+{8}$/m);

    const limited = await api.applications.diff({ username: 'eve' }, 'team-a', 'shop');
    const db = limited.status === 200 ? limited.body.resources.find((r) => r.kind === 'Secret') : undefined;
    assert.deepEqual([db?.hidden, db?.diff], [true, '']);
    assert.equal((await api.applications.diff({ username: 'mallory' }, 'team-a', 'shop')).status, 403);
  });

  it('reads the commit of each history entry, and says why one cannot be read', async () => {
    const { api } = setUp({ bob: VIEW });
    const answer = await api.applications.commits({ username: 'bob' }, 'team-a', 'shop');
    assert.equal(answer.status, 200);
    const bySha = new Map((answer.status === 200 ? answer.body.commits : []).map((c) => [c.sha, c]));
    assert.equal(bySha.get(A)?.subject, 'Bump web to v2');
    assert.equal(bySha.get(A)?.author, 'Ada <ada@example.com>');
    assert.match(bySha.get(B)?.error ?? '', /unable to resolve/);
  });

  it('Rollback needs patch applications, is sent as the viewer, and is refused while auto-sync is on', async () => {
    const viewer = setUp({ bob: VIEW });
    const denied = await viewer.api.applications.act({ username: 'bob' }, 'team-a', 'shop', 'rollback', {
      id: 1,
    });
    assert.equal(denied.status, 403);
    assert.match(denied.status === 403 ? denied.error : '', /may not patch applications/);

    const { api, sent } = setUp({ carol: [...VIEW, 'patch applications team-a'] });
    const done = await api.applications.act({ username: 'carol' }, 'team-a', 'shop', 'rollback', { id: 1 });
    assert.equal(done.status, 200);
    assert.deepEqual(sent, [
      {
        as: 'carol',
        ref: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'team-a', name: 'shop' },
        patch: { operation: { sync: { revision: B, prune: false }, initiatedBy: { username: 'carol' } } },
      },
    ]);

    const auto = setUp({ carol: [...VIEW, 'patch applications team-a'] }, app({ automated: true }));
    const refused = await auto.api.applications.act({ username: 'carol' }, 'team-a', 'shop', 'rollback', {
      id: 1,
    });
    assert.deepEqual(refused, {
      status: 400,
      error: 'rollback cannot be initiated when auto-sync is enabled',
    });
    assert.equal(auto.sent.length, 0);
  });
});

describe('dashboard: event notifications in the delivery log', () => {
  it('an event delivery finished with a sent marker is listed as sent with its channel; a failed one is not', () => {
    const at = Date.parse('2026-12-06T12:00:00Z');
    const entry = { trigger: 'on-rollout-step-completed', service: 'slack', recipient: 'deploys' };
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: 'web',
        namespace: 'team-a',
        annotations: {
          [`${sentAnnotationPrefix}aaaa`]: sentMarkerValue(at, entry, false),
          [`${sentAnnotationPrefix}bbbb`]: sentMarkerValue(at, { ...entry, recipient: 'gone' }, true),
          // an older version's marker: a time only, nothing to show
          [`${sentAnnotationPrefix}cccc`]: String(at),
        },
      },
    } as KubeObject;
    const view = notificationsView([], [{ kind: 'Rollout', object: rollout }], []);
    assert.deepEqual(view.objects[0]?.sent, [{ ...entry, at }]);
    assert.equal(parseSentMarker(String(at)).at, at);
  });
});
