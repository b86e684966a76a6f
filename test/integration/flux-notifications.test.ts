import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { argoNotificationKinds, fluxNotificationKinds } from '../../src/notifications/index.js';
import {
  catalogConfigMap,
  type NotificationsHarness,
  slackSecret,
  startHarness,
} from '../support/fixtures/notifications-env.js';
import {
  condition,
  FluxHarness,
  gitRepository,
  kustomization,
  waitForKustomization,
} from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// A Kustomization subscribed to the catalog's on-flux-deployed trigger by annotation: each new applied
// revision reaches the local Slack server once.
describe('notifications: Flux Kustomizations', { timeout: 300_000 }, () => {
  const client = testClient();
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let server: GitHttpServer;
  let flux: FluxHarness;
  let notifications: NotificationsHarness;

  before(async () => {
    ns = await testNamespace(client, 'flux-notif');
    repo = TestRepo.create({
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello}\ndata: {a: b}\n',
    });
    server = await GitHttpServer.start(repo);
    await client.create(catalogConfigMap('argocd-notifications-cm.yaml', ns.name));
    await client.create(slackSecret(ns.name, 'argocd-notifications-secret'));
    flux = await FluxHarness.start(ns.name);
    notifications = await startHarness(
      client,
      ns.name,
      { channels: ['flux'] },
      { kinds: [...argoNotificationKinds, ...fluxNotificationKinds] },
    );
  });
  after(async () => {
    await notifications?.stop();
    await flux?.stop();
    await ns?.delete();
    await server?.close();
    repo?.dispose();
  });

  const texts = () => notifications.server.messages('flux').map((m) => m.text ?? '');

  it('sends one message per new applied revision', async () => {
    await client.create(
      gitRepository(ns.name, 'repo', { interval: '2s', url: server.url, ref: { branch: 'main' } }),
    );
    const ks = kustomization(ns.name, 'apps', {
      sourceRef: { kind: 'GitRepository', name: 'repo' },
      path: './apps',
      interval: '1m',
      prune: true,
      targetNamespace: ns.name,
    });
    await client.create({
      ...ks,
      metadata: {
        ...ks.metadata,
        annotations: { 'notifications.argoproj.io/subscribe.on-flux-deployed.slack': 'flux' },
      },
    });
    const first = repo.head();
    await waitForKustomization(
      client,
      ns.name,
      'apps',
      'Ready at the first revision',
      (k) =>
        condition(k, 'Ready')?.status === 'True' && k.status?.lastAppliedRevision === `main@sha1:${first}`,
      120_000,
    );
    await eventually('one message', async () => texts().length === 1 || undefined, 60_000, 250);
    assert.match(
      texts()[0] ?? '',
      new RegExp(`Kustomization ${ns.name}/apps is Ready: Applied revision: main@sha1:${first}`),
    );

    repo.write({
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello}\ndata: {a: c}\n',
    });
    const second = server.commit('change the ConfigMap');
    await waitForKustomization(
      client,
      ns.name,
      'apps',
      'Ready at the second revision',
      (k) =>
        condition(k, 'Ready')?.status === 'True' && k.status?.lastAppliedRevision === `main@sha1:${second}`,
      120_000,
    );
    await eventually('a second message', async () => texts().length >= 2 || undefined, 60_000, 250);
    assert.match(texts()[1] ?? '', new RegExp(`Applied revision: main@sha1:${second}`));
    // the next reconciles of an unchanged revision send nothing more (the notified state holds both)
    const k = await client.get({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      namespace: ns.name,
      name: 'apps',
    });
    const notified = JSON.parse(
      k.metadata.annotations?.['notified.notifications.argoproj.io'] ?? '{}',
    ) as Record<string, unknown>;
    assert.equal(Object.keys(notified).length, 2, JSON.stringify(notified));
    assert.equal(texts().length, 2, texts().join('\n'));
  });
});
