import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import { compareResource, projectOnto } from '../../../src/sync/diff/compare.js';

const desired: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: {
    name: 'demo',
    namespace: 'demo',
    annotations: { 'notifications.argoproj.io/subscribe.on-deployed.slack': 'deploys' },
  },
  spec: { replicas: 5, template: { spec: { containers: [{ name: 'c', image: 'app:v2' }] } } },
};

const live = (replicas: number, extraAnnotations: Record<string, string>): KubeObject => ({
  ...desired,
  metadata: {
    ...desired.metadata,
    resourceVersion: '42',
    annotations: { ...desired.metadata.annotations, ...extraAnnotations },
  },
  spec: {
    replicas,
    strategy: { canary: {} },
    template: { spec: { containers: [{ name: 'c', image: 'app:v2', imagePullPolicy: 'IfNotPresent' }] } },
  },
  status: { phase: 'Paused' },
});

it('keeps only the fields the desired manifest names (objects recursively, arrays whole)', () => {
  assert.deepEqual(projectOnto({ a: 1, b: { c: 2, d: 3 }, e: [1, { f: 1 }] }, { b: { c: 0 }, e: [] }), {
    b: { c: 2 },
    e: [1, { f: 1 }],
  });
});

it('ignores annotations and fields other writers own; still sees drift in managed fields', () => {
  const predicted = live(5, { 'notified.notifications.argoproj.io': '{"a":1}' });
  const liveNow = live(5, {
    'notified.notifications.argoproj.io': '{"a":1,"b":2}',
    'rollout.argoproj.io/revision': '3',
  });
  assert.equal(compareResource(predicted, liveNow, undefined, desired).inSync, true);
  assert.equal(
    compareResource(predicted, liveNow, undefined).inSync,
    false,
    'without projection the race shows as drift',
  );
  const scaled = live(2, {});
  assert.equal(
    compareResource(live(5, {}), scaled, undefined, desired).inSync,
    false,
    'kubectl scale is drift',
  );
});
