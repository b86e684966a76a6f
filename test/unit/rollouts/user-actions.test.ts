/**
 * User operations send what the kubectl-argo-rollouts plugin sends. Expected bodies come from the
 * plugin's own tests (argo-rollouts pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause,
 * restart,undo,set}/*_test.go) and the patch constants beside them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeError, KubeErrorCode, type KubeObject, type ObjectRef } from '../../../src/kube/index.js';
import {
  abortRollout,
  imageTarget,
  type PromoteOptions,
  pauseRollout,
  planUndo,
  promotePatches,
  promoteRollout,
  type ReplicaSet,
  type RolloutObjectLike,
  restartAtTimestamp,
  restartRollout,
  resumeRollout,
  retryRollout,
  setRolloutImage,
  type UserActionClient,
  undoRollout,
  withImage,
} from '../../../src/rollouts/index.js';

interface Sent {
  readonly type: string;
  readonly subresource?: string;
  readonly target?: string;
  readonly body: unknown;
}

const notFound = (what: string) => new KubeError(KubeErrorCode.NotFound, `${what} not found`);

/** An API server holding `objects`, recording every write; optionally without a status subresource. */
function fakeServer(objects: KubeObject[], opts: { statusSubresource?: boolean; conflicts?: number } = {}) {
  const sent: Sent[] = [];
  const lists: unknown[] = [];
  let conflicts = opts.conflicts ?? 0;
  const find = (r: ObjectRef) => {
    const found = objects.find((o) => o.kind === r.kind && o.metadata.name === r.name);
    if (found === undefined) throw notFound(`${r.kind.toLowerCase()}s "${r.name}"`);
    return found;
  };
  const client: UserActionClient = {
    async get<T extends KubeObject>(r: ObjectRef) {
      return structuredClone(find(r)) as T;
    },
    async listAll<T extends KubeObject>(gvk: { kind: string }, options?: unknown) {
      lists.push(options);
      return { items: objects.filter((o) => o.kind === gvk.kind) as T[], resourceVersion: '1' };
    },
    async patch<T extends KubeObject>(
      r: ObjectRef,
      body: unknown,
      options: { type: string; subresource?: string },
    ) {
      const target = find(r);
      sent.push({
        type: options.type,
        ...(options.subresource && { subresource: options.subresource }),
        ...(r.kind !== 'Rollout' && { target: `${r.kind}/${r.name}` }),
        body,
      });
      if (options.subresource === 'status' && opts.statusSubresource === false)
        throw notFound('the server could not find the requested resource');
      return target as T;
    },
    async replace<T extends KubeObject>(obj: KubeObject) {
      sent.push({ type: 'replace', target: `${obj.kind}/${obj.metadata.name}`, body: obj });
      if (conflicts-- > 0) throw new KubeError(KubeErrorCode.Conflict, 'the object has been modified');
      return obj as T;
    },
  };
  return { client, sent, lists };
}

const ref = { namespace: 'default', name: 'guestbook' };
const rollout = (spec: object = {}, status: object = {}): RolloutObjectLike => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'guestbook', namespace: 'default', uid: 'ro-uid' },
  spec,
  status,
});
const twoSteps = { strategy: { canary: { steps: [{ setWeight: 1 }, { setWeight: 2 }] } } };
const pausedAtStep = { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }] };

const toStatus = (body: unknown): Sent => ({ type: 'merge', subresource: 'status', body });
const toRollout = (body: unknown): Sent => ({ type: 'merge', body });

interface Row {
  readonly command: string;
  readonly rollout: RolloutObjectLike;
  readonly run: (client: UserActionClient) => Promise<unknown>;
  /** What is sent when the CRD has a status subresource (Slipway's and Argo's do). */
  readonly sent: readonly Sent[];
  /** What is sent when the status subresource answers 404; `rejects` when the 404 is the answer. */
  readonly withoutStatusSubresource: readonly Sent[] | 'rejects';
}

const promote = (options?: PromoteOptions) => (c: UserActionClient) => promoteRollout(c, ref, options);
const now = Date.parse('2026-01-01T00:00:00.750Z');

const table: readonly Row[] = [
  {
    command: 'promote (paused at a pause step and spec.paused)',
    rollout: rollout({ paused: true }, { ...pausedAtStep, controllerPause: true }),
    run: promote(),
    sent: [toStatus({ status: { pauseConditions: null } }), toRollout({ spec: { paused: false } })],
    withoutStatusSubresource: [
      toStatus({ status: { pauseConditions: null } }),
      toRollout({ spec: { paused: false }, status: { pauseConditions: null } }),
    ],
  },
  {
    command: 'promote (canary not paused: skip the current step)',
    rollout: rollout(twoSteps),
    run: promote(),
    sent: [toStatus({ status: { pauseConditions: null, currentStepIndex: 1 } })],
    withoutStatusSubresource: [
      toStatus({ status: { pauseConditions: null, currentStepIndex: 1 } }),
      toRollout({ spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: 1 } }),
    ],
  },
  {
    command: 'promote (after the last step: the index stays)',
    rollout: rollout(twoSteps, { currentStepIndex: 2 }),
    run: promote(),
    sent: [toStatus({ status: { pauseConditions: null, currentStepIndex: 2 } })],
    withoutStatusSubresource: [
      toStatus({ status: { pauseConditions: null, currentStepIndex: 2 } }),
      toRollout({ spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: 2 } }),
    ],
  },
  {
    command: 'promote (canary without steps, not paused: nothing to send)',
    rollout: rollout({ strategy: { canary: {} } }),
    run: promote(),
    sent: [],
    withoutStatusSubresource: [],
  },
  {
    command: 'promote (inconclusive analysis paused by the controller)',
    rollout: rollout(
      { paused: true, ...twoSteps },
      {
        ...pausedAtStep,
        controllerPause: true,
        canary: { currentStepAnalysisRunStatus: { name: 'run', status: 'Inconclusive' } },
      },
    ),
    run: promote(),
    sent: [
      toStatus({ status: { pauseConditions: null, controllerPause: false, currentStepIndex: 1 } }),
      toRollout({ spec: { paused: false } }),
    ],
    withoutStatusSubresource: [
      toStatus({ status: { pauseConditions: null, controllerPause: false, currentStepIndex: 1 } }),
      toRollout({ spec: { paused: false }, status: { pauseConditions: null } }),
    ],
  },
  {
    command: 'promote (blue-green paused before promotion)',
    rollout: rollout(
      { strategy: { blueGreen: {} } },
      { pauseConditions: [{ reason: 'BlueGreenPause', startTime: '2026-01-01T00:00:00Z' }] },
    ),
    run: promote(),
    sent: [toStatus({ status: { pauseConditions: null } })],
    withoutStatusSubresource: [
      toStatus({ status: { pauseConditions: null } }),
      toRollout({ spec: { paused: false }, status: { pauseConditions: null } }),
    ],
  },
  {
    command: 'promote --full',
    rollout: rollout({}, { stableRS: 'abc123', currentPodHash: 'def456' }),
    run: promote({ full: true }),
    sent: [toStatus({ status: { promoteFull: true } })],
    withoutStatusSubresource: 'rejects',
  },
  {
    command: 'promote --full (already fully promoted: nothing to send)',
    rollout: rollout({}, { stableRS: 'abc123', currentPodHash: 'abc123' }),
    run: promote({ full: true }),
    sent: [],
    withoutStatusSubresource: [],
  },
  {
    command: 'promote --skip-all-steps',
    rollout: rollout(twoSteps),
    run: promote({ skipAllSteps: true }),
    sent: [toStatus({ status: { currentStepIndex: 2 } })],
    withoutStatusSubresource: [
      toStatus({ status: { currentStepIndex: 2 } }),
      toRollout({ status: { currentStepIndex: 2 } }),
    ],
  },
  {
    command: 'promote --skip-current-step',
    rollout: rollout(twoSteps),
    run: promote({ skipCurrentStep: true }),
    sent: [toStatus({ status: { currentStepIndex: 1 } })],
    withoutStatusSubresource: [
      toStatus({ status: { currentStepIndex: 1 } }),
      toRollout({ status: { currentStepIndex: 1 } }),
    ],
  },
  {
    command: 'abort',
    rollout: rollout(twoSteps),
    run: (c) => abortRollout(c, ref),
    sent: [toStatus({ status: { abort: true } })],
    withoutStatusSubresource: [toStatus({ status: { abort: true } }), toRollout({ status: { abort: true } })],
  },
  {
    command: 'retry rollout',
    rollout: rollout(twoSteps, { abort: true }),
    run: (c) => retryRollout(c, ref),
    sent: [toStatus({ status: { abort: false } })],
    withoutStatusSubresource: [
      toStatus({ status: { abort: false } }),
      toRollout({ status: { abort: false } }),
    ],
  },
  {
    command: 'pause',
    rollout: rollout(twoSteps),
    run: (c) => pauseRollout(c, ref),
    sent: [toRollout({ spec: { paused: true } })],
    withoutStatusSubresource: [toRollout({ spec: { paused: true } })],
  },
  {
    command: 'resume (Slipway only: undoes pause)',
    rollout: rollout({ paused: true, ...twoSteps }),
    run: (c) => resumeRollout(c, ref),
    sent: [toRollout({ spec: { paused: false } })],
    withoutStatusSubresource: [toRollout({ spec: { paused: false } })],
  },
  {
    command: 'restart (RFC 3339, whole seconds, UTC)',
    rollout: rollout(twoSteps),
    run: (c) => restartRollout(c, ref, now),
    sent: [toRollout({ spec: { restartAt: '2026-01-01T00:00:00Z' } })],
    withoutStatusSubresource: [toRollout({ spec: { restartAt: '2026-01-01T00:00:00Z' } })],
  },
  {
    command: 'restart --in 10m',
    rollout: rollout(twoSteps),
    run: (c) => restartRollout(c, ref, now, 10 * 60_000),
    sent: [toRollout({ spec: { restartAt: '2026-01-01T00:10:00Z' } })],
    withoutStatusSubresource: [toRollout({ spec: { restartAt: '2026-01-01T00:10:00Z' } })],
  },
];

/** Bodies compared as JSON text too, so key order matches the plugin's literal patches. */
const assertSent = (actual: readonly Sent[], expected: readonly Sent[], message: string) => {
  assert.deepEqual(actual, expected, message);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), message);
};

describe('user operations send the plugin patches', () => {
  for (const row of table) {
    it(row.command, async () => {
      const withStatus = fakeServer([row.rollout]);
      await row.run(withStatus.client);
      assertSent(withStatus.sent, row.sent, 'with a status subresource');

      const without = fakeServer([row.rollout], { statusSubresource: false });
      if (row.withoutStatusSubresource === 'rejects') {
        await assert.rejects(row.run(without.client), (err) => err instanceof KubeError);
        assertSent(without.sent, row.sent, 'the status patch was tried');
      } else {
        await row.run(without.client);
        assertSent(without.sent, row.withoutStatusSubresource, 'without a status subresource');
      }
    });
  }
});

describe('promote refuses what the plugin refuses', () => {
  const cases: readonly [string, RolloutObjectLike, PromoteOptions, RegExp][] = [
    ['both skip flags', rollout(twoSteps), { skipCurrentStep: true, skipAllSteps: true }, /at once/],
    [
      'skipping a blue-green rollout',
      rollout({ strategy: { blueGreen: {} } }),
      { skipAllSteps: true },
      /blue-green/,
    ],
    [
      'skipping a canary without steps',
      rollout({ strategy: { canary: {} } }),
      { skipCurrentStep: true },
      /no steps/,
    ],
  ];
  for (const [what, ro, options, message] of cases)
    it(what, async () => {
      assert.throws(() => promotePatches(ro, options), { code: 'ROLLOUT_ACTION', message });
      const server = fakeServer([ro]);
      await assert.rejects(promoteRollout(server.client, ref, options), { message });
      assert.deepEqual(server.sent, []);
    });

  it('a missing Rollout is the API server not-found error', async () => {
    await assert.rejects(promoteRollout(fakeServer([]).client, ref), { code: 'KUBE_NOT_FOUND' });
  });
});

it('restartAt: RFC 3339 in UTC, fractions of a second truncated', () => {
  assert.equal(restartAtTimestamp(Date.parse('2026-03-04T05:06:07.999Z')), '2026-03-04T05:06:07Z');
  assert.equal(restartAtTimestamp(Date.parse('2026-03-04T05:06:07.999Z'), 1.5), '2026-03-04T05:06:08Z');
  assert.equal(restartAtTimestamp(Date.parse('2026-12-31T23:59:30Z'), 30_000), '2027-01-01T00:00:00Z');
});

describe('undo', () => {
  const owner = [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'guestbook',
      uid: 'ro-uid',
      controller: true,
    },
  ];
  const template = (image: string, hash: string) => ({
    metadata: { labels: { app: 'guestbook', 'rollouts-pod-template-hash': hash }, creationTimestamp: null },
    spec: {
      containers: [{ name: 'app', image, resources: {}, terminationMessagePath: '/dev/termination-log' }],
    },
  });
  const rs = (
    hash: string,
    revision: string | undefined,
    image: string,
    ownerReferences = owner,
  ): ReplicaSet => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `guestbook-${hash}`,
      namespace: 'default',
      ownerReferences,
      ...(revision !== undefined && { annotations: { 'rollout.argoproj.io/revision': revision } }),
    },
    spec: { template: template(image, hash) },
  });
  const sets = [
    rs('aaa', '1', 'blue'),
    rs('ccc', '3', 'red'),
    rs('bbb', '2', 'yellow'),
    rs('zzz', '9', 'foreign', []),
    rs('junk', 'x', 'junk'),
  ];
  const current = rollout({
    selector: { matchLabels: { app: 'guestbook' } },
    template: {
      metadata: { labels: { app: 'guestbook' } },
      spec: { containers: [{ name: 'app', image: 'red' }] },
    },
  });
  const restore = (image: string) => [
    {
      op: 'replace',
      path: '/spec/template',
      value: {
        metadata: { labels: { app: 'guestbook' }, creationTimestamp: null },
        spec: {
          containers: [{ name: 'app', image, resources: {}, terminationMessagePath: '/dev/termination-log' }],
        },
      },
    },
  ];
  const rolloutTarget = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    namespace: 'default',
    name: 'guestbook',
  };

  it('defaults to the second-newest revision it controls, and restores its template without the hash label', () => {
    assert.deepEqual(planUndo(current, sets), {
      kind: 'patch',
      revision: 2,
      target: rolloutTarget,
      type: 'json',
      patch: restore('yellow'),
    });
  });

  it('--to-revision picks that revision; an unknown one, or no history, is an error', () => {
    assert.deepEqual(planUndo(current, sets, 1), {
      kind: 'patch',
      revision: 1,
      target: rolloutTarget,
      type: 'json',
      patch: restore('blue'),
    });
    assert.deepEqual(planUndo(current, sets, 9), {
      kind: 'error',
      message: 'unable to find specified revision 9 in history',
    });
    assert.deepEqual(planUndo(current, [sets[0] as ReplicaSet]), {
      kind: 'error',
      message: 'no revision found for rollout "guestbook"',
    });
  });

  it('skips when the template already matches (fields the Rollout leaves unset are ignored)', () => {
    assert.deepEqual(planUndo(current, sets, 3), { kind: 'skip', revision: 3 });
  });

  it('a ReplicaSet without a revision annotation counts as revision 0', () => {
    assert.equal(
      (planUndo(current, [rs('aaa', undefined, 'blue'), rs('ccc', '3', 'red')]) as { revision: number })
        .revision,
      0,
    );
  });

  it('an emptied labels map is left out of the restored template', () => {
    const bare = {
      ...rs('aaa', '1', 'blue'),
      spec: { template: { metadata: { labels: { 'rollouts-pod-template-hash': 'aaa' } }, spec: {} } },
    };
    const plan = planUndo(current, [bare, rs('ccc', '3', 'red')]);
    assert.deepEqual(plan.kind === 'patch' && plan.patch[0]?.value, { metadata: {}, spec: {} });
  });

  it('with spec.workloadRef the same patch goes to the referenced workload', () => {
    const ref = (kind: string) =>
      rollout({ workloadRef: { apiVersion: 'apps/v1', kind, name: 'guestbook-deploy' } });
    const plan = planUndo(ref('Deployment'), sets);
    assert.deepEqual(plan.kind === 'patch' && plan.target, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'guestbook-deploy',
    });
    assert.equal(planUndo(ref('StatefulSet'), sets).kind, 'error');
  });

  it('sends one JSON patch to the Rollout, listing ReplicaSets by its selector', async () => {
    const server = fakeServer([current, ...sets]);
    assert.equal((await undoRollout(server.client, ref)).kind, 'patch');
    assert.deepEqual(server.sent, [{ type: 'json', body: restore('yellow') }]);
    assert.deepEqual(server.lists, [{ namespace: 'default', labelSelector: 'app=guestbook' }]);
    const skipped = fakeServer([current, ...sets]);
    assert.deepEqual(await undoRollout(skipped.client, ref, 3), { kind: 'skip', revision: 3 });
    assert.deepEqual(skipped.sent, []);
    await assert.rejects(undoRollout(fakeServer([current]).client, ref, 4), {
      code: 'ROLLOUT_ACTION',
      message: 'unable to find specified revision 4 in history',
    });
  });
});

describe('set image', () => {
  const container = (name: string, image: string) => ({ name, image });
  const ro = rollout({
    template: {
      spec: {
        initContainers: [container('guestbook', 'blue')],
        containers: [
          container('foo', 'alpine:3.8'),
          container('guestbook', 'blue'),
          container('bar', 'alpine:3.8'),
        ],
        ephemeralContainers: [container('guestbook', 'blue')],
      },
    },
  });
  const images = (obj: RolloutObjectLike) => {
    const spec = obj.spec?.template?.spec as Record<string, { image: string }[]>;
    return ['initContainers', 'containers', 'ephemeralContainers'].map((k) =>
      (spec[k] ?? []).map((c) => c.image),
    );
  };

  it('updates init, regular and ephemeral containers of that name, leaving the input alone', () => {
    assert.deepEqual(images(withImage(ro, 'guestbook', 'NEW')), [
      ['NEW'],
      ['alpine:3.8', 'NEW', 'alpine:3.8'],
      ['NEW'],
    ]);
    assert.deepEqual(images(ro), [['blue'], ['alpine:3.8', 'blue', 'alpine:3.8'], ['blue']]);
  });

  it('* updates every container; an unknown name is an error', () => {
    assert.deepEqual(images(withImage(ro, '*', 'NEW')), [['NEW'], ['NEW', 'NEW', 'NEW'], ['NEW']]);
    assert.throws(() => withImage(ro, 'typo', 'NEW'), { message: 'unable to find container named "typo"' });
  });

  it('writes the Deployment a workloadRef names', () => {
    const withRef = rollout({ workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
    assert.deepEqual(imageTarget(withRef), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
    });
    assert.equal(imageTarget(ro).kind, 'Rollout');
  });

  it('replaces the whole object, reading it again after a conflict, at most 5 attempts', async () => {
    const once = fakeServer([ro], { conflicts: 1 });
    const written = await setRolloutImage(once.client, ref, 'guestbook', 'NEW');
    assert.deepEqual(images(written as RolloutObjectLike)[1], ['alpine:3.8', 'NEW', 'alpine:3.8']);
    assert.deepEqual(
      once.sent.map((s) => `${s.type} ${s.target}`),
      ['replace Rollout/guestbook', 'replace Rollout/guestbook'],
    );
    const always = fakeServer([ro], { conflicts: 99 });
    await assert.rejects(setRolloutImage(always.client, ref, 'guestbook', 'NEW'), { code: 'KUBE_CONFLICT' });
    assert.equal(always.sent.length, 5);
  });
});
