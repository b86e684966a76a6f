import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import {
  buildReplicaSet,
  EPHEMERAL_METADATA_ANNOTATION,
  planEphemeralMetadata,
  type Rollout,
} from '../../../src/rollouts/index.js';

const rollout: Rollout = {
  metadata: { name: 'demo', namespace: 'ns', uid: 'u1' },
  spec: {
    selector: { matchLabels: { app: 'demo' } },
    template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'app', image: 'a' }] } },
  },
};
const canary = { labels: { role: 'canary' }, annotations: { 'demo/role': 'canary' } };
const stable = { labels: { role: 'stable' } };

const pod = (
  name: string,
  labels: Record<string, string>,
  annotations?: Record<string, string>,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels, ...(annotations && { annotations }) },
});

describe('canary / stable ephemeral metadata', () => {
  const rs = buildReplicaSet(rollout, 'h1', 2, 2, canary);

  it('a canary becoming stable: the template and every pod swap metadata, the canary annotation goes', () => {
    const pods = [
      pod('p1', { app: 'demo', role: 'canary' }, { 'demo/role': 'canary' }),
      pod('p2', { app: 'demo', role: 'canary' }, { 'demo/role': 'canary' }),
    ];
    const patches = planEphemeralMetadata(rs, pods, stable);
    assert.deepEqual(
      patches.map((p) => [p.target.metadata.name, p.patch]),
      [
        [
          'demo-h1',
          {
            metadata: { annotations: { [EPHEMERAL_METADATA_ANNOTATION]: '{"labels":{"role":"stable"}}' } },
            spec: {
              template: { metadata: { labels: { role: 'stable' }, annotations: { 'demo/role': null } } },
            },
          },
        ],
        ['p1', { metadata: { labels: { role: 'stable' }, annotations: { 'demo/role': null } } }],
        ['p2', { metadata: { labels: { role: 'stable' }, annotations: { 'demo/role': null } } }],
      ],
    );
  });

  it('a ReplicaSet that lost its role has the metadata taken out of its template only', () => {
    const patches = planEphemeralMetadata(rs, [], undefined);
    assert.deepEqual(
      patches.map((p) => [p.target.metadata.name, p.patch]),
      [
        [
          'demo-h1',
          {
            metadata: { annotations: { [EPHEMERAL_METADATA_ANNOTATION]: null } },
            spec: { template: { metadata: { labels: { role: null }, annotations: { 'demo/role': null } } } },
          },
        ],
      ],
    );
  });

  it('nothing to do when template and pods already match', () => {
    assert.deepEqual(
      planEphemeralMetadata(
        rs,
        [pod('p1', { app: 'demo', role: 'canary' }, { 'demo/role': 'canary' })],
        canary,
      ),
      [],
    );
    const plain = buildReplicaSet(rollout, 'h2', 1, 1);
    assert.deepEqual(planEphemeralMetadata(plain, [pod('p3', { app: 'demo' })], undefined), []);
  });
});
