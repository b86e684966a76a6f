import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import {
  createRollout,
  getRollout,
  ROLLOUT,
  type RolloutObject,
  replicaSetsOf,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

/** InvalidSpec Warning Events on the Rollout: one entry per distinct message, with its repeat count. */
async function invalidSpecEvents(client: KubeClient, namespace: string, name: string) {
  const { items } = await client.listAll({ apiVersion: 'v1', kind: 'Event' }, { namespace });
  return items
    .filter((e) => (e.involvedObject as { name?: string }).name === name && e.reason === 'InvalidSpec')
    .map((e) => ({ type: String(e.type), message: String(e.message), count: Number(e.count ?? 1) }));
}

const invalidSpec = (r: RolloutObject) => r.status?.conditions?.find((c) => c.type === 'InvalidSpec');

/** Touches the Rollout's metadata so the controller reconciles it again without a spec change. */
async function poke(client: KubeClient, namespace: string, name: string, times: number) {
  for (let i = 0; i < times; i++) {
    await client.patch(
      { ...ROLLOUT, namespace, name },
      { metadata: { annotations: { 'test.slipway.dev/poke': String(i) } } },
      { type: 'merge' },
    );
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('rollouts: InvalidSpec guards (unsupported steps, replica ceiling, analysis templates)', () => {
  const s = useRolloutScenario('ro-invalid-guards');

  it('a plugin step is InvalidSpec naming it, with one Warning Event per distinct message', async () => {
    const name = 'plugin-step';
    await s.createRollout({
      name,
      replicas: 1,
      steps: [{ setWeight: 20 }, { plugin: { name: 'acme/step', config: {} } }],
    });
    const r = await s.reaches(name, 'InvalidSpec', (x) => x.status?.phase === 'Degraded', 60_000);
    const condition = invalidSpec(r);
    assert.equal(condition?.reason, 'InvalidSpec');
    assert.match(condition?.message ?? '', /spec\.strategy\.canary\.steps\[1\]\.plugin: Unsupported value/);
    const events = await eventually('InvalidSpec Warning Event', async () => {
      const e = await invalidSpecEvents(s.client, s.namespace, name);
      return e.length > 0 ? e : undefined;
    });
    assert.deepEqual(events, [{ type: 'Warning', message: condition?.message, count: 1 }]);

    // reconciles of a Rollout that stays invalid for the same reason add no Event
    await poke(s.client, s.namespace, name, 3);
    await new Promise((res) => setTimeout(res, 2_000));
    assert.deepEqual(await invalidSpecEvents(s.client, s.namespace, name), events);

    // a different reason is a new Event
    const current = await getRollout(s.client, s.namespace, name);
    await s.client.patch(
      { ...ROLLOUT, namespace: s.namespace, name },
      { spec: { strategy: { canary: { steps: [{ plugin: { name: 'acme/other', config: {} } }] } } } },
      { type: 'merge' },
    );
    const changed = await s.reaches(name, 'InvalidSpec names the plugin step at its new index', (x) =>
      (invalidSpec(x)?.message ?? '').includes('steps[0].plugin: Unsupported value'),
    );
    assert.notEqual(invalidSpec(changed)?.message, invalidSpec(current)?.message);
    await eventually('a second InvalidSpec Event', async () => {
      const e = await invalidSpecEvents(s.client, s.namespace, name);
      return e.length === 2 && e.every((x) => x.count === 1) ? e : undefined;
    });
    const sets = (await replicaSetsOf(s.client, s.namespace)).filter((rs) =>
      rs.metadata.name?.startsWith(`${name}-`),
    );
    assert.equal(sets.length, 0, 'no ReplicaSet for an invalid spec');
  });

  it('replicas above the ceiling through the scale subresource: InvalidSpec naming the flag, not scaled', async () => {
    const name = 'ceiling';
    await s.createRollout({ name, replicas: 2, steps: [] });
    await s.reaches(name, 'Healthy', (x) => x.status?.phase === 'Healthy');
    await s.client.patch(
      { ...ROLLOUT, namespace: s.namespace, name },
      { spec: { replicas: 1_000_000_000 } },
      { type: 'merge', subresource: 'scale' },
    );
    const r = await s.reaches(name, 'InvalidSpec', (x) => invalidSpec(x) !== undefined);
    assert.match(
      invalidSpec(r)?.message ?? '',
      /spec\.replicas: Invalid value: 1000000000: must be no more than 10000.*--max-replicas/,
    );
    await eventually('InvalidSpec Warning Event', async () =>
      (await invalidSpecEvents(s.client, s.namespace, name)).length === 1 ? true : undefined,
    );
    await new Promise((res) => setTimeout(res, 1_000));
    const sizes = (await replicaSetsOf(s.client, s.namespace))
      .filter((rs) => rs.metadata.name?.startsWith(`${name}-`))
      .map((rs) => rs.spec?.replicas);
    assert.deepEqual(sizes, [2], 'the ReplicaSet keeps its size');

    await s.client.patch(
      { ...ROLLOUT, namespace: s.namespace, name },
      { spec: { replicas: 3 } },
      { type: 'merge', subresource: 'scale' },
    );
    await s.reaches(
      name,
      'Healthy with 3 once back under the ceiling',
      (x) =>
        x.status?.phase === 'Healthy' && invalidSpec(x) === undefined && x.status.availableReplicas === 3,
      90_000,
    );
  });

  it('an analysis step whose template has a condition that does not compile: InvalidSpec at once; fixed template → Healthy', async () => {
    const name = 'bad-template';
    const template = (failureCondition: string): KubeObject => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'error-rate', namespace: s.namespace },
      spec: {
        metrics: [
          {
            name: 'errors',
            failureCondition,
            provider: { web: { url: 'http://127.0.0.1:1/metrics' } },
          },
        ],
      },
    });
    await s.client.create(template('result.errors >'));
    await s.createRollout({
      name,
      replicas: 1,
      steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'error-rate' }] } }],
    });
    const r = await s.reaches(name, 'InvalidSpec', (x) => invalidSpec(x) !== undefined);
    assert.equal(r.status?.phase, 'Degraded');
    const message = invalidSpec(r)?.message ?? '';
    assert.ok(
      message.includes(
        'spec.strategy.canary.steps[1].analysis.templates: Invalid value: "error-rate": AnalysisTemplate error-rate: metric "errors": could not evaluate failureCondition "result.errors >": ',
      ),
      message,
    );
    await eventually('InvalidSpec Warning Event', async () =>
      (await invalidSpecEvents(s.client, s.namespace, name)).some((e) => e.message === message)
        ? true
        : undefined,
    );

    // fixing the template alone (no Rollout change) makes the Rollout valid
    const current = await s.client.get({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      namespace: s.namespace,
      name: 'error-rate',
    });
    await s.client.replace({ ...template('result.errors > 0'), metadata: current.metadata });
    await s.reaches(
      name,
      'Healthy once the template compiles',
      (x) => x.status?.phase === 'Healthy' && invalidSpec(x) === undefined,
      90_000,
    );
  });
});

describe('rollouts: slipway controller --max-replicas (the shipped command)', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let proc: ChildProcess | undefined;
  const logs: { level?: number; msg?: string; error?: string }[] = [];

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'ro-max-replicas');
    const bin = fileURLToPath(new URL('../../bin/slipway.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        bin,
        'controller',
        '--controllers',
        'rollouts',
        '-n',
        ns.name,
        '--max-replicas',
        '3',
        '--metrics-port',
        '0',
        '--kubeconfig',
        testKubeconfigPath(),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    proc = child;
    let buffered = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line) as (typeof logs)[number]);
        } catch {
          /* not a log line */
        }
      }
    });
    await eventually('controller started', async () =>
      logs.some((l) => l.msg === 'controller started') ? true : undefined,
    );
  });
  after(async () => {
    proc?.kill('SIGTERM');
    await ns?.delete();
    client?.close();
  });

  it('4 replicas over a ceiling of 3: InvalidSpec naming the limit, one warn log line however often it is reconciled', async () => {
    const name = 'over';
    await createRollout(client, ns.name, { name, replicas: 4, steps: [] });
    const r = await eventually('InvalidSpec', async () => {
      const x = await getRollout(client, ns.name, name);
      return invalidSpec(x) !== undefined ? x : undefined;
    });
    assert.match(
      invalidSpec(r)?.message ?? '',
      /spec\.replicas: Invalid value: 4: must be no more than 3,.*--max-replicas/,
    );
    await eventually('InvalidSpec Warning Event', async () =>
      (await invalidSpecEvents(client, ns.name, name)).length === 1 ? true : undefined,
    );
    await poke(client, ns.name, name, 3);
    await new Promise((res) => setTimeout(res, 2_000));
    const lines = logs.filter((l) => l.msg === 'invalid rollout spec');
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.level, 40, 'logged at warn');
    assert.deepEqual(
      (await invalidSpecEvents(client, ns.name, name)).map((e) => e.count),
      [1],
    );
    assert.equal(
      (await replicaSetsOf(client, ns.name)).filter((rs) => rs.metadata.name?.startsWith(`${name}-`)).length,
      0,
    );
    await client.patch(
      { ...ROLLOUT, namespace: ns.name, name },
      { spec: { replicas: 3 } },
      { type: 'merge' },
    );
    await eventually(
      'Healthy at the ceiling',
      async () => {
        const x = await getRollout(client, ns.name, name);
        return x.status?.phase === 'Healthy' && invalidSpec(x) === undefined ? true : undefined;
      },
      90_000,
    );
  });
});
