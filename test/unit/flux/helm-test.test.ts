import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceAccountOption } from '../../../src/cli/commands/controller.js';
import { controllerModulesOptions } from '../../../src/cli/controller-modules.js';
import { readCliEnvironment } from '../../../src/cli/environment.js';
import {
  AWAITING_TESTS_REASON,
  assessRunningHook,
  awaitTests,
  decideReleaseStep,
  decodeRelease,
  encodeRelease,
  type HelmRelease,
  HelmReleaseStatusDraft,
  type HelmTestFilter,
  hasBeenTested,
  hasDeletePolicy,
  markTestFailed,
  markTestSucceeded,
  nextTestRunStep,
  observeHookObject,
  recordTestHooks,
  type Snapshot,
  type StoredHook,
  type StoredRelease,
  selectedTestHooks,
  splitTestHooks,
  summarizeTests,
  type TestHookStatus,
  withoutTestHooks,
} from '../../../src/flux/index.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { readGolden } from '../../support/golden.js';

const hook = (name: string, weight = 0, deletePolicies: string[] = []): StoredHook => ({
  name,
  kind: 'Pod',
  path: `Pod/${name}`,
  manifest: `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\n`,
  events: ['test'],
  weight,
  deletePolicies,
});

const snapshot = (
  version: number,
  chartVersion: string,
  status: string,
  action: string,
  tests?: Record<string, string>,
): Snapshot => ({
  name: 'web',
  namespace: 'apps',
  version,
  chartName: 'web',
  chartVersion,
  configDigest: 'sha256:c',
  digest: 'sha256:d',
  firstDeployed: '2026-01-01T00:00:00Z',
  lastDeployed: '2026-01-01T00:00:00Z',
  status,
  action,
  ...(tests !== undefined && {
    testHooks: Object.fromEntries(
      Object.entries(tests).map(([k, phase]) => [k, phase === '' ? {} : { phase }]),
    ),
  }),
});

describe('flux golden: HelmRelease test hooks and the release decision with tests', () => {
  const g = readGolden<{
    selection: {
      hooks: { name: string; weight: number }[];
      cases: { name: string; filters: HelmTestFilter[]; want: string[] }[];
    };
    decisions: {
      desired: { chartName: string; chartVersion: string; configDigest: string };
      cases: {
        name: string;
        spec: Record<string, unknown>;
        lastAction: 'install' | 'upgrade';
        history: { v: string; status: string; action: string; tests?: Record<string, string> }[];
        counts: [number, number];
        want: { kind: string; version?: number; to?: number; action?: string; attempts?: number };
      }[];
    };
  }>('flux/helm-tests.json');
  const hooks = g.selection.hooks.map((h) => hook(h.name, h.weight));
  for (const c of g.selection.cases)
    it(`selection: ${c.name}`, () =>
      assert.deepEqual(
        selectedTestHooks(hooks, c.filters).map((h) => h.name),
        c.want,
      ));
  for (const c of g.decisions.cases) {
    it(`decision: ${c.name}`, () => {
      const n = c.history.length;
      const history = c.history.map((s, i) => snapshot(n - i, s.v, s.status, s.action, s.tests));
      const spec = { interval: '1m', ...c.spec } as HelmRelease['spec'];
      const a = decideReleaseStep(
        spec,
        history,
        g.decisions.desired,
        { installFailures: c.counts[0], upgradeFailures: c.counts[1] },
        c.lastAction,
      );
      const got: Record<string, unknown> = { kind: a.kind };
      if (a.kind === 'in-sync' || a.kind === 'wait' || a.kind === 'test') got.version = a.release.version;
      if (a.kind === 'uninstall' || a.kind === 'rollback') got.version = a.failed.version;
      if (a.kind === 'rollback') got.to = a.to.version;
      if (a.kind === 'stalled') Object.assign(got, { action: a.action, attempts: a.attempts });
      assert.deepEqual(got, c.want);
    });
  }
});

describe('flux: test hooks in a render', () => {
  const obj = (name: string, annotations?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(annotations && { annotations }) },
  });
  const rendered = [
    obj('plain'),
    obj('test', { 'helm.sh/hook': 'test' }),
    obj('helm2', { 'helm.sh/hook': 'test-success' }),
    obj('mixed', { 'helm.sh/hook': 'post-install, Test', 'helm.sh/hook-weight': '-3' }),
    obj('cleanup', {
      'helm.sh/hook': 'test',
      'helm.sh/hook-delete-policy': 'hook-succeeded,hook-failed',
      'helm.sh/hook-weight': 'x',
    }),
    obj('pre', { 'helm.sh/hook': 'pre-install' }),
  ];

  it('keeps test hooks out of the release and stores them as Helm does', () => {
    const { objects, tests } = splitTestHooks(rendered);
    assert.deepEqual(
      objects.map((o) => o.metadata.name),
      ['plain', 'pre'],
    );
    assert.deepEqual(withoutTestHooks(rendered), objects);
    assert.deepEqual(
      tests.map((t) => [t.name, t.kind, t.weight, t.deletePolicies]),
      [
        ['test', 'Pod', 0, []],
        ['helm2', 'Pod', 0, []],
        ['mixed', 'Pod', -3, []],
        ['cleanup', 'Pod', 0, ['hook-succeeded', 'hook-failed']],
      ],
    );
    assert.match(tests[0]?.manifest ?? '', /name: test/);
  });

  it('defaults the delete policy to before-hook-creation', () => {
    assert.equal(hasDeletePolicy(hook('a'), 'before-hook-creation'), true);
    assert.equal(hasDeletePolicy(hook('a'), 'hook-succeeded'), false);
    const cleanup = hook('b', 0, ['hook-succeeded']);
    assert.equal(hasDeletePolicy(cleanup, 'before-hook-creation'), false);
    assert.equal(hasDeletePolicy(cleanup, 'hook-succeeded'), true);
  });

  it('round-trips the hooks through the release Secret encoding', () => {
    const r: StoredRelease = {
      name: 'web',
      namespace: 'apps',
      version: 2,
      status: 'deployed',
      description: 'Upgrade complete',
      firstDeployed: '2026-01-01T00:00:00Z',
      lastDeployed: '2026-01-02T00:00:00Z',
      chartName: 'web',
      chartVersion: '1.1.0',
      config: {},
      manifest: '',
      hooks: [
        hook('web-test-a'),
        {
          ...hook('web-test-b', 1, ['hook-succeeded']),
          lastRun: {
            startedAt: '2026-01-02T00:00:01Z',
            completedAt: '2026-01-02T00:00:05Z',
            phase: 'Succeeded',
          },
        },
      ],
    };
    assert.deepEqual(decodeRelease(encodeRelease(r)), r);
    const { hooks: _none, ...plain } = r;
    assert.deepEqual(decodeRelease(encodeRelease(plain)), plain);
  });
});

describe('flux: judging a running test hook', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-test', namespace: 'apps' },
  };
  const withStatus = (o: KubeObject, status: unknown) => ({ ...o, status }) as KubeObject;

  it("reads a Pod's phase and a Job's conditions with Helm's messages", () => {
    assert.deepEqual(observeHookObject(pod, withStatus(pod, { phase: 'Succeeded' })), { phase: 'Succeeded' });
    assert.deepEqual(observeHookObject(pod, withStatus(pod, { phase: 'Failed' })), {
      phase: 'Failed',
      message: 'resource Pod/apps/web-test not ready. status: Failed, message: pod web-test failed',
    });
    assert.deepEqual(observeHookObject(pod, withStatus(pod, { phase: 'Running' })), {
      phase: 'Running',
      message: 'resource Pod/apps/web-test not ready. status: InProgress, message: Pod in progress',
    });
    assert.deepEqual(observeHookObject(pod, undefined), {
      phase: 'Failed',
      message: 'resource Pod/apps/web-test not ready. status: NotFound, message: Resource not found',
    });
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'apps' },
    };
    assert.deepEqual(
      observeHookObject(job, withStatus(job, { conditions: [{ type: 'Complete', status: 'True' }] })),
      { phase: 'Succeeded' },
    );
    assert.deepEqual(
      observeHookObject(
        job,
        withStatus(job, { failed: 2, conditions: [{ type: 'Failed', status: 'True' }] }),
      ),
      {
        phase: 'Failed',
        message: 'resource Job/apps/j not ready. status: Failed, message: Job Failed. failed: 2/1',
      },
    );
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'apps' },
    };
    assert.deepEqual(observeHookObject(cm, cm), { phase: 'Succeeded' });
  });

  it('fails a hook still running when its timeout has passed', () => {
    const running = observeHookObject(pod, withStatus(pod, { phase: 'Running' }));
    assert.equal(assessRunningHook(running, 1_000, 60_999, 60_000).phase, 'Running');
    assert.deepEqual(assessRunningHook(running, 1_000, 61_000, 60_000), {
      phase: 'Failed',
      message:
        'resource Pod/apps/web-test not ready. status: InProgress, message: Pod in progress\ncontext deadline exceeded',
    });
    const done = observeHookObject(pod, withStatus(pod, { phase: 'Succeeded' }));
    assert.equal(assessRunningHook(done, 1_000, 99_000, 60_000).phase, 'Succeeded');
  });

  it('starts, watches and ends a run in order, stopping at the first failure', () => {
    const hooks = [hook('a'), hook('b')];
    const at = '2026-01-01T00:00:10Z';
    assert.deepEqual(nextTestRunStep(hooks, { a: {}, b: {} }), { kind: 'start', hook: hooks[0] });
    assert.deepEqual(nextTestRunStep(hooks, { a: { lastStarted: at, phase: 'Running' } }), {
      kind: 'watch',
      hook: hooks[0],
      startedMs: Date.parse(at),
    });
    assert.deepEqual(nextTestRunStep(hooks, { a: { phase: 'Succeeded' }, b: {} }), {
      kind: 'start',
      hook: hooks[1],
    });
    assert.deepEqual(nextTestRunStep(hooks, { a: { phase: 'Failed' }, b: {} }), { kind: 'failed' });
    assert.deepEqual(nextTestRunStep(hooks, { a: { phase: 'Succeeded' }, b: { phase: 'Succeeded' } }), {
      kind: 'succeeded',
    });
    assert.deepEqual(nextTestRunStep([], {}), { kind: 'succeeded' });
  });

  it("tells a tested release as helm-controller's HasBeenTested", () => {
    const s = (tests?: Record<string, TestHookStatus>) => ({
      ...snapshot(1, '1.0.0', 'deployed', 'install'),
      ...(tests && { testHooks: tests }),
    });
    assert.equal(hasBeenTested(s()), false);
    assert.equal(hasBeenTested(s({})), true);
    assert.equal(hasBeenTested(s({ a: { phase: 'Succeeded' } })), true);
    assert.equal(hasBeenTested(s({ a: { phase: 'Succeeded' }, b: {} })), false);
    assert.equal(hasBeenTested(s({ a: { phase: 'Failed' }, b: {} })), true);
    assert.equal(hasBeenTested(s({ a: { phase: 'Running' } })), false);
  });
});

describe('flux: TestSuccess and Ready', () => {
  const now = '2026-01-01T00:01:00Z';
  const release = (spec: Record<string, unknown>, lastAction = 'upgrade'): HelmRelease =>
    ({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'web', namespace: 'apps', generation: 2 },
      spec: { interval: '1m', ...spec },
      status: {
        history: [snapshot(2, '1.1.0', 'deployed', 'upgrade'), snapshot(1, '1.0.0', 'superseded', 'install')],
        lastAttemptedReleaseAction: lastAction,
        failures: 0,
        upgradeFailures: 0,
      },
    }) as HelmRelease;
  const cond = (d: HelmReleaseStatusDraft, type: string) => d.condition(type);

  it('waits for tests after a release, then follows their outcome', () => {
    const hr = release({ test: { enable: true } });
    const d = new HelmReleaseStatusDraft(hr, now).succeeded('upgrade');
    assert.equal(awaitTests(d, hr.spec), true);
    assert.deepEqual(
      [cond(d, 'TestSuccess')?.status, cond(d, 'TestSuccess')?.reason, cond(d, 'Ready')?.status],
      ['Unknown', AWAITING_TESTS_REASON, 'Unknown'],
    );
    assert.equal(
      cond(d, 'Ready')?.message,
      'Helm release apps/web.v2 with chart web@1.1.0 is awaiting tests',
    );
    const hooks = { 'web-test': { phase: 'Succeeded' } };
    recordTestHooks(d, 2, hooks);
    assert.deepEqual(d.history()[0]?.testHooks, hooks);
    const message = markTestSucceeded(d, hr.spec, d.history()[0] as Snapshot, hooks);
    assert.equal(
      message,
      'Helm test succeeded for release apps/web.v2 with chart web@1.1.0: 1 test hook completed successfully',
    );
    assert.deepEqual(
      [cond(d, 'Ready')?.status, cond(d, 'Ready')?.reason, cond(d, 'Released')?.status],
      ['True', 'TestSucceeded', 'True'],
    );
  });

  it('counts a failed test for the active remediation and fails Ready', () => {
    const hr = release({ test: { enable: true }, upgrade: { remediation: { retries: 1 } } });
    const d = new HelmReleaseStatusDraft(hr, now).succeeded('upgrade');
    awaitTests(d, hr.spec);
    const message = markTestFailed(
      d,
      hr.spec,
      d.history()[0] as Snapshot,
      'resource Pod/apps/t not ready.\n',
    );
    assert.equal(
      message,
      'Helm test failed for release apps/web.v2 with chart web@1.1.0: resource Pod/apps/t not ready.',
    );
    const s = d.build();
    assert.deepEqual([s.failures, s.upgradeFailures, s.installFailures], [1, 1, undefined]);
    assert.deepEqual([cond(d, 'Ready')?.status, cond(d, 'Ready')?.reason], ['False', 'TestFailed']);
  });

  it('with ignoreFailures, Ready stays with the release and the failure is not counted for remediation', () => {
    const hr = release({ test: { enable: true, ignoreFailures: true } });
    const d = new HelmReleaseStatusDraft(hr, now).succeeded('upgrade');
    awaitTests(d, hr.spec);
    markTestFailed(d, hr.spec, d.history()[0] as Snapshot, 'boom');
    const s = d.build();
    assert.deepEqual([s.failures, s.upgradeFailures], [1, 0]);
    assert.equal(cond(d, 'TestSuccess')?.status, 'False');
    assert.deepEqual([cond(d, 'Ready')?.status, cond(d, 'Ready')?.reason], ['True', 'UpgradeSucceeded']);
  });

  it('drops TestSuccess once tests are disabled', () => {
    const hr = release({ test: { enable: true } });
    const d = new HelmReleaseStatusDraft(hr, now).succeeded('upgrade');
    awaitTests(d, hr.spec);
    summarizeTests(d, { interval: '1m' });
    assert.equal(cond(d, 'TestSuccess'), undefined);
  });
});

describe('flux: --default-service-account', () => {
  it('accepts a ServiceAccount name, none when empty, and refuses others', () => {
    assert.equal(serviceAccountOption('flux-deployer'), 'flux-deployer');
    assert.equal(serviceAccountOption(''), undefined);
    assert.equal(serviceAccountOption(undefined), undefined);
    assert.throws(() => serviceAccountOption('Not_A_Name'), /--default-service-account: "Not_A_Name"/);
  });

  it('reaches the flux module', () => {
    const env = readCliEnvironment({});
    assert.equal(
      controllerModulesOptions({ defaultServiceAccount: 'deployer' }, env).flux.defaultServiceAccount,
      'deployer',
    );
    assert.equal(controllerModulesOptions({}, env).flux.defaultServiceAccount, undefined);
  });
});
