import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../../src/go/index.js';
import { computePodTemplateHash, type PodTemplateSpec } from '../../../src/rollouts/index.js';

// Hashes recorded with the pod-template hashing as it was before canonical JSON moved to src/go:
// a changed hash would re-roll every Rollout on upgrade.
const pinned: readonly (readonly [PodTemplateSpec, string, string])[] = [
  [{}, '5859f96865', '84b66796fd'],
  [
    { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    '85444cdf55',
    '76b9bb994d',
  ],
  [
    {
      metadata: {
        labels: { app: 'demo', 'rollouts-pod-template-hash': 'abc123', '2': 'two', '10': 'ten' },
        annotations: { 'b/x': '1', 'a/y': 'é ✓ \u2028 "q"' },
      },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry.example/app:v2',
            env: [
              { name: 'B', value: '2' },
              { name: 'A', value: undefined },
            ],
            resources: { limits: { cpu: '500m', memory: '128Mi' } },
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
          },
          {
            name: 'sidecar',
            image: 'busybox',
            args: ['sh', '-c', 'sleep 3600'],
            readinessProbe: { periodSeconds: 1.5, httpGet: { path: '/', port: 'http' } },
          },
        ],
        terminationGracePeriodSeconds: 0,
        nodeSelector: { zz: 'z', aa: 'a' },
        tolerations: [],
        hostNetwork: false,
        priority: null,
      },
    } as unknown as PodTemplateSpec,
    '59584d9856',
    'bcbf79c77',
  ],
  [
    {
      spec: {
        containers: [{ name: '\ud800lone', image: 'x' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['b', 'a'] }] }],
            },
          },
        },
      },
    } as unknown as PodTemplateSpec,
    '5849fcdd64',
    '7d5ccc86f7',
  ],
];

describe('canonical JSON', () => {
  it('keeps the pod-template hashes recorded before the move', () => {
    for (const [template, hash, withCollisions] of pinned) {
      assert.equal(computePodTemplateHash(template), hash);
      assert.equal(computePodTemplateHash(template, 3), withCollisions);
    }
  });

  it('sorts keys by code unit (numeric-looking keys too) and writes JSON.stringify scalars', () => {
    assert.equal(
      canonicalJson({ b: 1, a: [true, null, 'x"'], '10': 0, '2': -0, Z: { y: 1.5, x: 'é' } }),
      '{"10":0,"2":0,"Z":{"x":"é","y":1.5},"a":[true,null,"x\\""],"b":1}',
    );
  });

  it('leaves out undefined members, writes undefined items and a top-level undefined as null', () => {
    assert.equal(canonicalJson({ a: undefined, b: [undefined, 1] }), '{"b":[null,1]}');
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson(Number.NaN), 'null');
  });

  it('honours toJSON like JSON.stringify', () => {
    assert.equal(canonicalJson({ at: new Date(Date.UTC(2024, 0, 2)) }), '{"at":"2024-01-02T00:00:00.000Z"}');
  });

  it('gives the same text whatever the key order', () => {
    assert.equal(canonicalJson({ a: { c: 1, d: 2 }, b: 3 }), canonicalJson({ b: 3, a: { d: 2, c: 1 } }));
  });
});
