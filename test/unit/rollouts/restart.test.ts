import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import { planRestart, type RestartPlan } from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

type Pod = readonly [name: string, created: string, ready: boolean, terminating: boolean];

interface Inputs {
  readonly now: number;
  readonly replicas: number;
  readonly totalReplicas: number;
  readonly maxUnavailable: number;
}

interface Case extends Partial<Inputs> {
  readonly name: string;
  readonly restartAt?: string;
  readonly restartedAt?: string;
  readonly pods: readonly Pod[];
  readonly expected: { readonly evict: readonly string[]; readonly done: boolean; readonly waitMs?: number };
}

const golden = readGolden<{ base: Inputs; cases: Case[] }>('rollouts/restart.json');

const pod = ([name, created, ready, terminating]: Pod): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    creationTimestamp: created,
    ...(terminating && { deletionTimestamp: '2026-01-01T00:00:09Z' }),
  },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

const summary = (plan: RestartPlan) => ({
  evict: plan.evict.map((p) => p.metadata.name),
  done: plan.done,
  ...(plan.waitMs !== undefined && { waitMs: plan.waitMs }),
});

describe('restart (spec.restartAt)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const plan = planRestart({
        ...golden.base,
        ...(c.now !== undefined && { now: c.now }),
        ...(c.replicas !== undefined && { replicas: c.replicas }),
        ...(c.totalReplicas !== undefined && { totalReplicas: c.totalReplicas }),
        ...(c.maxUnavailable !== undefined && { maxUnavailable: c.maxUnavailable }),
        restartAt: c.restartAt,
        restartedAt: c.restartedAt,
        pods: c.pods.map(pod),
      });
      assert.deepEqual(summary(plan), c.expected);
    });
  }
});
