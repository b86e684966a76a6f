import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type SlackServer, startSlackServer } from '../../src/dev/slack-server/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import { outboxAnnotationPrefix } from '../../src/notifications/index.js';
import {
  application,
  patchAppStatus,
  seedConfigMap,
  slackSecret,
  slackToken,
} from '../support/fixtures/notifications-env.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

const controller = fileURLToPath(new URL('../support/fixtures/notifications-controller.ts', import.meta.url));
const rounds = 20;

function startController(namespace: string, apiUrl: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', controller, testKubeconfigPath(), namespace, apiUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
}

const exited = (proc: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve(proc.signalCode ?? proc.exitCode);
    else proc.once('exit', (code, signal) => resolve(signal ?? code));
  });

describe('notifications: controller SIGKILLed between condition and send', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let server: SlackServer;
  let apiUrl: string;
  let stopSlack: () => Promise<void>;
  const procs: ChildProcess[] = [];

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'notif-crash');
    await client.create(seedConfigMap(ns.name));
    await client.create(slackSecret(ns.name, 'argocd-notifications-secret'));
    ({ server, apiUrl, stop: stopSlack } = await startSlackServer({ tokens: [slackToken] }));
  });
  after(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await stopSlack?.();
    await ns.delete();
    client.close();
  });

  it(`delivers every notification exactly once across ${rounds} crashes`, { timeout: 170_000 }, async () => {
    let crashes = 0;
    for (let i = 0; i < rounds; i++) {
      const app = `app-${i}`;
      // Even rounds crash after the send (before the entry is marked sent), odd rounds before the send.
      const proc = startController(ns.name, apiUrl, {
        CRASH_APP: app,
        CRASH_AT: i % 2 === 0 ? 'after' : 'before',
      });
      procs.push(proc);
      await client.create(
        application(ns.name, app, { 'notifications.argoproj.io/subscribe.on-deployed.slack': `c${i}` }),
      );
      await patchAppStatus(client, ns.name, app, {
        sync: { status: 'Synced', revision: `rev-${i}` },
        operationState: { phase: 'Succeeded' },
      });
      const outcome = await Promise.race([
        exited(proc),
        new Promise((r) => setTimeout(() => r('timeout'), 30_000)),
      ]);
      if (outcome === 'SIGKILL') crashes += 1;
      else proc.kill('SIGKILL');
    }
    const survivor = startController(ns.name, apiUrl, {});
    procs.push(survivor);
    await eventually(
      'every notification delivered and every outbox drained',
      async () => {
        for (let i = 0; i < rounds; i++) if (server.messages(`c${i}`).length === 0) return false;
        const { items } = await client.listAll<KubeObject>(
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
          { namespace: ns.name },
        );
        return items.every(
          (o) => !Object.keys(o.metadata.annotations ?? {}).some((k) => k.startsWith(outboxAnnotationPrefix)),
        );
      },
      90_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    for (let i = 0; i < rounds; i++) {
      const messages = server.messages(`c${i}`);
      assert.equal(messages.length, 1, `app-${i}: exactly one message (got ${messages.length})`);
      assert.equal(messages[0]?.attachments?.[0]?.text, `Revision: rev-${i}`);
    }
    process.stdout.write(`# ${crashes} of ${rounds} controllers were SIGKILLed at their crash point\n`);
    assert.equal(crashes, rounds);
  });
});
