import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { notifiedAnnotation, outboxAnnotationPrefix } from '../../src/notifications/index.js';
import {
  application,
  type NotificationsHarness,
  patchAppStatus,
  seedConfigMap,
  slackSecret,
  startHarness,
} from '../support/fixtures/notifications-env.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const appRef = (namespace: string, name: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  namespace,
  name,
});

describe('notifications: the seed ConfigMap with Applications subscribed by annotation', () => {
  let h: NotificationsHarness;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    await h?.stop();
  });
  const { client, ns } = useTestNamespace('notif-seed');

  before(async () => {
    await client.create(seedConfigMap(ns.name));
    await client.create(slackSecret(ns.name, 'argocd-notifications-secret'));
    h = await startHarness(client, ns.name, { channels: ['deploys', 'alerts'] });
  });

  it('sends exactly one on-deployed message, then one app-health-degraded attachment', async () => {
    await client.create(
      application(ns.name, 'guestbook', {
        'notifications.argoproj.io/subscribe.on-deployed.slack': 'deploys',
        'notifications.argoproj.io/subscribe.on-health-degraded.slack': 'alerts',
      }),
    );
    await patchAppStatus(client, ns.name, 'guestbook', {
      sync: { status: 'Synced', revision: 'abc123' },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded' },
    });
    const [deployed] = await h.server.waitFor(
      (s) => (s.messages('deploys').length > 0 ? s.messages('deploys') : undefined),
      30_000,
    );
    assert.equal(deployed?.attachments?.[0]?.title, 'guestbook deployed');
    assert.equal(deployed?.attachments?.[0]?.text, 'Revision: abc123');
    assert.equal(deployed?.attachments?.[0]?.color, '#18be52');

    // More reconciles (status churn) must not notify again.
    for (let i = 0; i < 5; i++) {
      await patchAppStatus(client, ns.name, 'guestbook', { reconciledAt: `2024-01-01T00:00:0${i}Z` });
    }
    await patchAppStatus(client, ns.name, 'guestbook', {
      health: { status: 'Degraded', message: 'pod crashloop' },
    });
    const [degraded] = await h.server.waitFor(
      (s) => (s.messages('alerts').length > 0 ? s.messages('alerts') : undefined),
      30_000,
    );
    assert.equal(degraded?.attachments?.[0]?.title, 'guestbook health degraded');
    assert.equal(degraded?.attachments?.[0]?.text, 'pod crashloop');
    assert.equal(degraded?.attachments?.[0]?.color, '#E96D76');

    // The outbox drains and the notified state uses upstream's key format.
    const app = await eventually('outbox drained', async () => {
      const o = await client.get<KubeObject>(appRef(ns.name, 'guestbook'));
      const pending = Object.keys(o.metadata.annotations ?? {}).filter((k) =>
        k.startsWith(outboxAnnotationPrefix),
      );
      return pending.length === 0 ? o : undefined;
    });
    const state = JSON.parse(app.metadata.annotations?.[notifiedAnnotation] ?? '{}') as Record<
      string,
      number
    >;
    assert.deepEqual(
      Object.keys(state)
        .map((k) => k.replace(/\[0\]\.[\w-]{27}/, '[0].HASH'))
        .sort(),
      ['on-deployed:[0].HASH:slack:deploys', 'on-health-degraded:[0].HASH:slack:alerts'],
    );
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(h.server.messages('deploys').length, 1, 'exactly one on-deployed message');
    assert.equal(h.server.messages('alerts').length, 1, 'exactly one health-degraded message');
  });

  it('re-arms when the condition turns false and fires again when it is true again', async () => {
    await client.create(
      application(ns.name, 'flappy', {
        'notifications.argoproj.io/subscribe.on-sync-status-unknown.slack': 'deploys',
      }),
    );
    const before = h.server.messages('deploys').length;
    await patchAppStatus(client, ns.name, 'flappy', { sync: { status: 'Unknown', revision: 'r1' } });
    await h.server.waitFor((s) => s.messages('deploys').length === before + 1, 30_000);
    await patchAppStatus(client, ns.name, 'flappy', { sync: { status: 'Synced', revision: 'r1' } });
    await eventually('re-armed', async () => {
      const o = await client.get<KubeObject>(appRef(ns.name, 'flappy'));
      return !(o.metadata.annotations?.[notifiedAnnotation] ?? '').includes('on-sync-status-unknown');
    });
    await patchAppStatus(client, ns.name, 'flappy', { sync: { status: 'Unknown', revision: 'r2' } });
    await h.server.waitFor((s) => s.messages('deploys').length === before + 2, 30_000);
    const last = h.server.messages('deploys').at(-1);
    assert.match(
      last?.text ?? '',
      /Application flappy has drifted from desired state\.\nDetails: Unknown\nRevision: r2/,
    );
  });
});
