import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SlackServer } from '../../src/dev/slack-server/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import {
  application,
  catalogConfigMap,
  type NotificationsHarness,
  patchAppStatus,
  seedConfigMap,
  slackSecret,
  startHarness,
} from '../support/fixtures/notifications-env.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

type Event = KubeObject & {
  reason?: string;
  message?: string;
  type?: string;
  involvedObject?: { kind?: string; name?: string };
};

async function events(client: KubeClient, namespace: string, reason: string): Promise<Event[]> {
  const { items } = await client.listAll<Event>({ apiVersion: 'v1', kind: 'Event' }, { namespace });
  return items.filter((e) => e.reason === reason);
}

function rollout(namespace: string, name: string, annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { namespace, name, annotations },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      },
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }] } },
    },
  };
}

/** Outbox ids carried in message metadata: every delivered notification exactly once. */
function deliveredIds(server: SlackServer, channel: string): string[] {
  return server.messages(channel).map((m) => String(m.metadata?.event_payload.id ?? ''));
}

describe('notifications: Rollout event triggers from the catalog', () => {
  let h: NotificationsHarness;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    await h?.stop();
  });
  const { client, ns } = useTestNamespace('notif-ro');

  before(async () => {
    await client.create(catalogConfigMap('argo-rollouts-notification-configmap.yaml', ns.name));
    await client.create(slackSecret(ns.name, 'argo-rollouts-notification-secret'));
    // A sliding-second limit of 3 checks our pacing (1/s, burst 2) with room for network jitter.
    h = await startHarness(client, ns.name, {
      channels: ['rollouts', 'canary'],
      perChannelLimit: { messagesPerSecond: 3 },
    });
  });

  const record = async (name: string, reason: string, message: string) => {
    const r = await eventually('rollout cached', async () =>
      client.get<KubeObject>({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        namespace: ns.name,
        name,
      }),
    );
    h.manager.events.normal(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: r.metadata },
      reason,
      message,
    );
  };

  it('sends exactly one message per recorded event', async () => {
    await client.create(
      rollout(ns.name, 'checkout', {
        'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': 'rollouts',
        'notifications.argoproj.io/subscribe.on-rollout-paused.slack': 'rollouts',
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    await record('checkout', 'RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 20)');
    await record('checkout', 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)');
    await record('checkout', 'RolloutStepCompleted', 'Rollout step 2/3 completed (pause: {})');
    await record('checkout', 'RolloutUpdated', 'not subscribed: sends nothing');
    await h.server.waitFor((s) => s.messages('rollouts').length >= 3, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const messages = h.server.messages('rollouts');
    assert.equal(messages.length, 3);
    assert.equal(new Set(deliveredIds(h.server, 'rollouts')).size, 3);
    assert.deepEqual(
      messages.map((m) => m.attachments?.[0]?.text),
      ['Step completed', 'Paused', 'Step completed'],
    );
    assert.deepEqual(h.server.violations(), []);
  });

  it('Slack answering 429 for 5 s delays messages: none lost, none duplicated, pacing respected', async () => {
    await client.create(
      rollout(ns.name, 'cart', {
        'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': 'rollouts;canary',
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const before = h.server.messages('rollouts').length;
    h.server.rateLimit({ seconds: 5 });
    const limitedAt = Date.now();
    for (let i = 1; i <= 6; i++) await record('cart', 'RolloutStepCompleted', `step ${i}`);
    await h.server.waitFor(
      (s) => s.messages('canary').length >= 6 && s.messages('rollouts').length >= before + 6,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    const firstAccepted = h.server
      .requests('chat.postMessage')
      .find((r) => r.status === 200 && r.at >= limitedAt && r.error === undefined);
    assert.ok(
      firstAccepted !== undefined && firstAccepted.at - limitedAt >= 4_500,
      'nothing delivered while rate-limited',
    );
    assert.equal(h.server.messages('canary').length, 6);
    assert.equal(new Set(deliveredIds(h.server, 'canary')).size, 6);
    assert.equal(h.server.messages('rollouts').length, before + 6);
    assert.equal(new Set(deliveredIds(h.server, 'rollouts')).size, before + 6);
    assert.deepEqual(h.server.violations(), []);
    const limited = h.server.requests().filter((r) => r.status === 429).length;
    assert.ok(limited <= 10, `Retry-After honoured per workspace (${limited} rate-limited calls)`);
  });
});

describe('notifications: permanent failures and broken configuration', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let h: NotificationsHarness;

  before(async () => {
    client = testClient();
    ns = await testNamespace(client, 'notif-fail');
    const seed = seedConfigMap(ns.name);
    const data = {
      ...(seed.data as Record<string, string>),
      'trigger.on-broken': '- when: [unclosed\n  send: [app-deployed]\n',
    };
    await client.create({ ...seed, data });
    await client.create(slackSecret(ns.name, 'argocd-notifications-secret'));
    h = await startHarness(client, ns.name, { channels: ['deploys'] });
  });
  after(async () => {
    await h?.stop();
    await ns.delete();
    client.close();
  });

  it('reports a broken ConfigMap key on the ConfigMap and keeps every other trigger working', async () => {
    const [warning] = await eventually('InvalidNotificationConfig event', async () => {
      const list = await events(client, ns.name, 'InvalidNotificationConfig');
      return list.length > 0 ? list : undefined;
    });
    assert.equal(warning?.type, 'Warning');
    assert.equal(warning?.involvedObject?.kind, 'ConfigMap');
    assert.match(warning?.message ?? '', /trigger\.on-broken/);
    await client.create(
      application(ns.name, 'still-works', {
        'notifications.argoproj.io/subscribe.on-deployed.slack': 'deploys',
      }),
    );
    await patchAppStatus(client, ns.name, 'still-works', {
      sync: { status: 'Synced', revision: 'r1' },
      operationState: { phase: 'Succeeded' },
    });
    await h.server.waitFor((s) => s.messages('deploys').length === 1, 30_000);
  });

  it('a subscription to the broken trigger: one Warning Event on the object naming the key', async () => {
    await client.create(
      application(ns.name, 'subscribes-broken', {
        'notifications.argoproj.io/subscribe.on-broken.slack': 'deploys',
      }),
    );
    const onObject = async () =>
      (await events(client, ns.name, 'InvalidNotificationConfig')).filter(
        (e) => e.involvedObject?.kind === 'Application' && e.involvedObject?.name === 'subscribes-broken',
      );
    const [warning] = await eventually('InvalidNotificationConfig event on the Application', async () => {
      const list = await onObject();
      return list.length > 0 ? list : undefined;
    });
    assert.equal(warning?.type, 'Warning');
    assert.match(warning?.message ?? '', /trigger\.on-broken/);
    // reconciles repeat; the report does not
    for (let i = 0; i < 3; i++)
      await patchAppStatus(client, ns.name, 'subscribes-broken', { reconciledAt: `2024-01-01T00:00:0${i}Z` });
    await new Promise((r) => setTimeout(r, 2_000));
    const list = await onObject();
    assert.equal(list.length, 1);
    assert.equal((list[0] as { count?: number }).count ?? 1, 1);
  });

  it('channel_not_found: a Warning Event on the object, no retry storm', async () => {
    await client.create(
      application(ns.name, 'lost', { 'notifications.argoproj.io/subscribe.on-deployed.slack': 'nowhere' }),
    );
    await patchAppStatus(client, ns.name, 'lost', {
      sync: { status: 'Synced', revision: 'r1' },
      operationState: { phase: 'Succeeded' },
    });
    const [warning] = await eventually('NotificationFailed event', async () => {
      const list = (await events(client, ns.name, 'NotificationFailed')).filter(
        (e) => e.involvedObject?.name === 'lost',
      );
      return list.length > 0 ? list : undefined;
    });
    assert.equal(warning?.type, 'Warning');
    assert.match(warning?.message ?? '', /channel_not_found/);
    for (let i = 0; i < 3; i++)
      await patchAppStatus(client, ns.name, 'lost', { reconciledAt: `2024-01-01T00:00:0${i}Z` });
    await new Promise((r) => setTimeout(r, 3_000));
    const attempts = h.server.requests('chat.postMessage').filter((r) => r.channel === 'nowhere');
    assert.equal(attempts.length, 1, 'a permanent error is not retried');
  });
});
