import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import { podMetadataChanged } from '../../../src/rollouts/controller/controller.js';

const pod = (metadata: KubeObject['metadata']): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata });
const base = {
  name: 'p',
  namespace: 'ns',
  resourceVersion: '1',
  labels: { app: 'a' },
  annotations: { x: '1' },
};

describe('which pod changes reach the Rollout reconciler', () => {
  const cases: [string, KubeObject | undefined, KubeObject | undefined, boolean][] = [
    ['created', pod(base), undefined, true],
    ['deleted', undefined, pod(base), true],
    ['resync (same object)', pod(base), undefined, true],
    ['status-only update (new resourceVersion)', pod({ ...base, resourceVersion: '2' }), pod(base), false],
    ['deletion started', pod({ ...base, deletionTimestamp: '2026-01-01T00:00:00Z' }), pod(base), true],
    ['label added', pod({ ...base, labels: { app: 'a', role: 'canary' } }), pod(base), true],
    ['label value changed', pod({ ...base, labels: { app: 'b' } }), pod(base), true],
    ['annotation removed', pod({ ...base, annotations: {} }), pod(base), true],
  ];
  for (const [name, current, previous, expected] of cases)
    it(name, () => {
      const same = name.startsWith('resync') ? current : previous;
      assert.equal(podMetadataChanged(current, same), expected);
    });
});
