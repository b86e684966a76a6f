import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration } from '../../../src/cli/rollout-view/human-duration.js';
import { type RolloutObject, rolloutInfo, rolloutListTable } from '../../../src/cli/rollout-view/index.js';
import { podInfo } from '../../../src/cli/rollout-view/pod-info.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration: apimachinery HumanDuration test tables', () => {
  const cases: [number, string][] = [
    [S, '1s'],
    [70 * S, '70s'],
    [190 * S, '3m10s'],
    [70 * M, '70m'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * D, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [(365 * 8 * 24 + 2) * H, '8y'],
    [-2 * S, '<invalid>'],
    [-2 * S + 1, '0s'],
    [0, '0s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M + S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H + 59 * M, '8h'],
    [2 * D - 1, '47h'],
    [8 * D - 1, '7d23h'],
    [8 * D + 23 * H, '8d'],
    [2 * 365 * D - 1, '729d'],
    [2 * 365 * D + D - 1, '2y'],
    [2 * 365 * D + D, '2y1d'],
    [4 * 365 * D, '4y'],
  ];
  for (const [ms, want] of cases) it(`${ms} ms → ${want}`, () => assert.equal(humanDuration(ms), want));
});

const canary = (status: Record<string, unknown>, canaryExtra: Record<string, unknown> = {}): RolloutObject =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'prod', uid: 'u', generation: 2 },
    spec: {
      replicas: 4,
      strategy: {
        canary: {
          steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: {} }],
          ...canaryExtra,
        },
      },
    },
    status: { observedGeneration: '2', ...status },
  }) as RolloutObject;

const info = (rollout: RolloutObject) =>
  rolloutInfo({ rollout, replicaSets: [], pods: [], analysisRuns: [], now: 0 });

describe('rolloutInfo: the plugin’s SetWeight and ActualWeight rules', () => {
  it('SetWeight counts the current step (a setWeight step not yet done already shows its weight)', () => {
    assert.equal(info(canary({ currentStepIndex: 0 })).setWeight, 25);
    assert.equal(info(canary({ currentStepIndex: 3 })).setWeight, 75);
    assert.equal(info(canary({ currentStepIndex: 4 })).setWeight, 100);
    assert.equal(info(canary({ currentStepIndex: 3, abort: true })).setWeight, 0);
  });
  it('ActualWeight is 0, not "-", when nothing is available; the max past the last step', () => {
    assert.equal(info(canary({ currentStepIndex: 1, availableReplicas: 0 })).actualWeight, 0);
    assert.equal(info(canary({ currentStepIndex: 4 })).actualWeight, 100);
    assert.equal(
      info(canary({ currentStepIndex: 4 }, { trafficRouting: { maxTrafficWeight: 1000 } })).actualWeight,
      1000,
    );
  });
  it('with traffic routing: the verified weight, else SetWeight', () => {
    const routed = { trafficRouting: { istio: {} } };
    assert.equal(info(canary({ currentStepIndex: 1, availableReplicas: 4 }, routed)).actualWeight, 25);
    const weights = { canary: { weight: 10 }, stable: { weight: 90 } };
    assert.equal(
      info(canary({ currentStepIndex: 1, availableReplicas: 4, canary: { weights } }, routed)).actualWeight,
      10,
    );
  });
  it('the phase is the controller’s once it has observed the generation', () => {
    const r = canary({ phase: 'Paused', message: 'CanaryPauseStep', currentStepIndex: 1 });
    assert.deepEqual([info(r).status, info(r).message], ['Paused', 'CanaryPauseStep']);
    const stale = { ...r, metadata: { ...r.metadata, generation: 3 } };
    assert.deepEqual(
      [info(stale).status, info(stale).message],
      ['Progressing', 'waiting for rollout spec update to be observed'],
    );
  });
});

describe('rollout list: the plugin’s columns', () => {
  it('canary and blue-green rows, NAMESPACE only with --all-namespaces', () => {
    const bg = {
      ...canary({
        phase: 'Healthy',
        replicas: 2,
        readyReplicas: 2,
        updatedReplicas: 2,
        availableReplicas: 2,
      }),
      metadata: { name: 'bluegreen-demo', namespace: 'prod', generation: 1 },
      spec: { replicas: 2, strategy: { blueGreen: { activeService: 'a' } } },
    } as RolloutObject;
    const paused = canary({
      phase: 'Paused',
      currentStepIndex: 1,
      replicas: 5,
      readyReplicas: 5,
      updatedReplicas: 1,
      availableReplicas: 5,
    });
    assert.deepEqual(rolloutListTable([paused, bg], false), [
      'NAME            STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE',
      'web             Canary     Paused        1/4   25          5/5    4        1           5',
      'bluegreen-demo  BlueGreen  Healthy       -     -           2/2    2        2           2',
    ]);
    assert.match(rolloutListTable([paused], true)[1] ?? '', /^prod {7}web {9}Canary/);
  });
});

describe('pod status as the plugin (and kubectl) shows it', () => {
  const pod = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    podInfo({ metadata: { name: 'p', ...extra }, spec: { containers: [{}, {}] }, status } as never);
  it('ready containers, waiting reasons, exit codes, terminating', () => {
    const running = { ready: true, state: { running: {} } };
    assert.deepEqual(pod({ phase: 'Running', containerStatuses: [running, running] }), {
      name: 'p',
      creationTimestamp: undefined,
      status: 'Running',
      ready: '2/2',
      restarts: 0,
    });
    const crash = { ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } };
    assert.equal(pod({ phase: 'Running', containerStatuses: [running, crash] }).status, 'CrashLoopBackOff');
    assert.equal(pod({ phase: 'Running', containerStatuses: [running, crash] }).restarts, 3);
    const exited = { state: { terminated: { exitCode: 1 } } };
    assert.equal(pod({ phase: 'Failed', containerStatuses: [exited] }).status, 'ExitCode:1');
    assert.equal(
      pod({ phase: 'Running' }, { deletionTimestamp: '2026-01-01T00:00:00Z' }).status,
      'Terminating',
    );
  });
});
