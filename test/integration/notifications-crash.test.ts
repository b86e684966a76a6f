import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { transitionOf } from '../../src/core/index.js';
import { type SlackServer, startSlackServer } from '../../src/dev/slack-server/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import { outboxAnnotationPrefix, readOutbox } from '../../src/notifications/index.js';
import {
  application,
  patchAppStatus,
  seedConfigMap,
  slackSecret,
  slackToken,
} from '../support/fixtures/notifications-env.js';
import { getRollout, rolloutManifest, setImage } from '../support/fixtures/rollout-scenario.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

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
  let server: SlackServer;
  let apiUrl: string;
  let stopSlack: () => Promise<void>;
  const procs: ChildProcess[] = [];
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await stopSlack?.();
  });
  const { client, ns } = useTestNamespace('notif-crash', { crds: true });

  before(async () => {
    await client.create(seedConfigMap(ns.name));
    await client.create(slackSecret(ns.name, 'argocd-notifications-secret'));
    ({ server, apiUrl, stop: stopSlack } = await startSlackServer({ tokens: [slackToken] }));
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

const rolloutProcess = fileURLToPath(
  new URL('../support/fixtures/rollout-notifications-process.ts', import.meta.url),
);

function startRolloutProcess(
  namespace: string,
  apiUrl: string,
  env: Record<string, string>,
): { proc: ChildProcess; started: Promise<boolean> } {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', rolloutProcess, testKubeconfigPath(), namespace, apiUrl],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    },
  );
  const started = new Promise<boolean>((resolve) => {
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('started')) resolve(true);
    });
    proc.once('exit', () => resolve(false));
  });
  return { proc, started };
}

describe('notifications: Rollout step events while rollouts + notifications are SIGKILLed', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let server: SlackServer;
  let apiUrl: string;
  let stopSlack: () => Promise<void>;
  const procs: ChildProcess[] = [];
  const name = 'stepper';
  const steps = [20, 40, 60, 80].flatMap((w) => [{ setWeight: w }, { pause: { duration: 1 } }]);

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'notif-steps');
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: ns.name, name: 'argo-rollouts-notification-configmap' },
      data: {
        'service.slack': 'token: $slack-token',
        'template.step':
          'message: "{{(index .rollout.spec.template.spec.containers 0).image}} step {{.rollout.status.currentStepIndex}}"',
        'trigger.on-rollout-step-completed': '- send: [step]',
      },
    });
    await client.create(slackSecret(ns.name, 'argo-rollouts-notification-secret'));
    ({ server, apiUrl, stop: stopSlack } = await startSlackServer({ tokens: [slackToken] }));
  });
  after(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await stopSlack?.();
    await ns.delete();
    client.close();
  });

  /** Creates a Rollout subscribed to step notifications on `channel` and deploys it (no steps on a first deploy). */
  async function deploySubscribed(rolloutName: string, channel: string): Promise<void> {
    const rollout = rolloutManifest({
      name: rolloutName,
      namespace: ns.name,
      replicas: 2,
      image: 'demo:v1',
      steps,
    });
    await client.create({
      ...rollout,
      metadata: {
        ...rollout.metadata,
        annotations: { 'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': channel },
      },
    });
    const first = startRolloutProcess(ns.name, apiUrl, {});
    procs.push(first.proc);
    await eventually(
      'initial deploy Healthy',
      async () => (await getRollout(client, ns.name, rolloutName)).status?.phase === 'Healthy',
      120_000,
    );
    first.proc.kill('SIGKILL');
    await exited(first.proc);
  }

  it('every step notification exactly once, naming the step that completed and its image', {
    timeout: 600_000,
  }, async () => {
    await deploySubscribed(name, 'steps');

    let crashes = 0;
    const revisions = ['demo:v2', 'demo:v3'];
    for (const image of revisions) {
      await setImage(client, ns.name, name, image);
      for (let step = 1; step <= steps.length; step++) {
        // odd steps crash right after the status write that commits the step, even ones right before it
        const { proc } = startRolloutProcess(ns.name, apiUrl, {
          CRASH_STEP: String(step),
          CRASH_IMAGE: image,
          CRASH_AT: step % 2 === 1 ? 'after' : 'before',
        });
        procs.push(proc);
        const outcome = await Promise.race([
          exited(proc),
          new Promise((r) => setTimeout(() => r('timeout'), 60_000)),
        ]);
        if (outcome === 'SIGKILL') crashes += 1;
        else {
          proc.kill('SIGKILL');
          await exited(proc);
        }
      }
      const survivor = startRolloutProcess(ns.name, apiUrl, {});
      procs.push(survivor.proc);
      await eventually(
        `${image} Healthy and its notifications delivered`,
        async () => {
          const r = await getRollout(client, ns.name, name);
          const containers = (r.spec?.template?.spec as { containers?: { image?: string }[] } | undefined)
            ?.containers;
          const done = r.status?.phase === 'Healthy' && containers?.[0]?.image === image;
          const pending = Object.keys(r.metadata.annotations ?? {}).some((k) =>
            k.startsWith(outboxAnnotationPrefix),
          );
          // lost notifications never reach the outbox: the assertion below names them
          return done && !pending;
        },
        120_000,
        250,
      );
      await new Promise((r) => setTimeout(r, 1_500));
      survivor.proc.kill('SIGKILL');
      await exited(survivor.proc);
    }
    const texts = server.messages('steps').map((m) => m.text);
    const expected = revisions.flatMap((image) => steps.map((_, i) => `${image} step ${i + 1}`));
    assert.deepEqual(
      [...texts].sort(),
      [...expected].sort(),
      'each completed step notified once, with its step and image',
    );
    process.stdout.write(
      `${crashes} of ${revisions.length * steps.length} controllers were SIGKILLed at their crash point\n`,
    );
    assert.ok(crashes >= revisions.length * steps.length - 2, `${crashes} crashes`);
  });

  it('no notification for a step that never committed when the image changed before the restart', {
    timeout: 400_000,
  }, async () => {
    const switcher = 'switcher';
    await deploySubscribed(switcher, 'switch');

    // killed after the outbox write for step 3 of demo:v2 and before the status write that commits it
    await setImage(client, ns.name, switcher, 'demo:v2');
    const crashing = startRolloutProcess(ns.name, apiUrl, {
      CRASH_STEP: '3',
      CRASH_IMAGE: 'demo:v2',
      CRASH_AT: 'before',
    });
    procs.push(crashing.proc);
    const outcome = await Promise.race([
      exited(crashing.proc),
      new Promise((r) => setTimeout(() => r('timeout'), 120_000)),
    ]);
    assert.equal(outcome, 'SIGKILL', 'the controller reached its crash point');
    const crashed = await getRollout(client, ns.name, switcher);
    const abandoned = readOutbox(crashed).entries.filter((e) => e.notification.message === 'demo:v2 step 3');
    assert.equal(abandoned.length, 1, 'the entry of the uncommitted step is in the outbox');
    // the status hash the controller recorded (from the status it read) is the one read back from the server
    assert.equal(abandoned[0]?.from, transitionOf(crashed.status));
    assert.equal(crashed.status?.currentStepIndex, 2, 'step 3 was not committed');

    // the image changes while no controller runs: the restarted one decides differently from the same status
    await setImage(client, ns.name, switcher, 'demo:v3');
    const survivor = startRolloutProcess(ns.name, apiUrl, {});
    procs.push(survivor.proc);
    await eventually(
      'demo:v3 Healthy and its notifications delivered',
      async () => {
        const r = await getRollout(client, ns.name, switcher);
        const containers = (r.spec?.template?.spec as { containers?: { image?: string }[] } | undefined)
          ?.containers;
        const done = r.status?.phase === 'Healthy' && containers?.[0]?.image === 'demo:v3';
        const pending = Object.keys(r.metadata.annotations ?? {}).some((k) =>
          k.startsWith(outboxAnnotationPrefix),
        );
        return done && !pending && server.messages('switch').length >= 2 + steps.length;
      },
      180_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    survivor.proc.kill('SIGKILL');
    await exited(survivor.proc);
    const texts = server.messages('switch').map((m) => m.text);
    const expected = ['demo:v2 step 1', 'demo:v2 step 2', ...steps.map((_, i) => `demo:v3 step ${i + 1}`)];
    assert.deepEqual([...texts].sort(), [...expected].sort(), 'committed steps once each, none abandoned');
  });
});
