import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import { servicesToRelease } from '../../../src/rollouts/controller/services.js';
import {
  type CanaryStrategy,
  MANAGED_BY_ANNOTATION,
  planServiceSwitches,
  type ReplicaSet,
  type RolloutStatus,
} from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

interface Case {
  readonly name: string;
  readonly canary: CanaryStrategy;
  readonly status: RolloutStatus;
  readonly replicaSets: readonly [hash: string, replicas: number, available: number][];
  readonly services: readonly [name: string, hash: string | null, managed: boolean][];
  readonly expected: readonly [service: string, from: string, to: string][];
}

const golden = readGolden<{ cases: Case[] }>('rollouts/services.json');

const replicaSet = ([hash, replicas, available]: Case['replicaSets'][number]): ReplicaSet => ({
  metadata: { name: `demo-${hash}`, labels: { 'rollouts-pod-template-hash': hash } },
  spec: { replicas },
  status: { replicas, availableReplicas: available },
});

const service = ([name, hash, managed]: Case['services'][number]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ns', ...(managed && { annotations: { [MANAGED_BY_ANNOTATION]: 'demo' } }) },
  spec: { selector: { app: 'demo', ...(hash !== null && { 'rollouts-pod-template-hash': hash }) } },
});

describe('canaryService / stableService selector switches', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const services = c.services.map(service);
      const lookup = (name: string) => services.find((s) => s.metadata.name === name);
      const switches = planServiceSwitches(c.canary, c.status, c.replicaSets.map(replicaSet), lookup);
      assert.deepEqual(
        switches.map((s) => [s.service.metadata.name, s.from, s.to]),
        c.expected,
      );
    });
  }
});

describe('Services a Rollout no longer names (Argo service controller)', () => {
  const svc = (name: string, hash: string | undefined, managedBy: string | undefined): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      ...(managedBy !== undefined && { annotations: { [MANAGED_BY_ANNOTATION]: managedBy } }),
    },
    spec: { selector: { app: 'a', ...(hash !== undefined && { 'rollouts-pod-template-hash': hash }) } },
  });
  it('releases only its own marked Services that its spec dropped and that still select a hash', () => {
    const released = servicesToRelease('ro', new Set(['stable', 'canary']), [
      svc('stable', 'h1', 'ro'),
      svc('old-active', 'h1', 'ro'),
      svc('other-rollout', 'h1', 'other'),
      svc('unmarked', 'h1', undefined),
      svc('no-hash', undefined, 'ro'),
    ]);
    assert.deepEqual(
      released.map((s) => s.metadata.name),
      ['old-active'],
    );
  });
});
