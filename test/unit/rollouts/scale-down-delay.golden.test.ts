import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planScaleDownDelay } from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

interface Case {
  readonly name: string;
  readonly nowOffsetMs?: number;
  readonly replicaSets: { name: string; revision: number; replicas: number; deadline?: string }[];
  readonly delaySeconds: number;
  readonly revisionLimit?: number;
  readonly keep: number;
  readonly verdicts: Record<string, unknown>[];
  readonly requeueAt?: string;
}

const golden = readGolden<{ now: string; cases: Case[] }>('rollouts/scale-down-delay.json');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('scale-down delay (golden)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const plan = planScaleDownDelay({
        replicaSets: c.replicaSets.map((rs) => ({ ref: rs.name, ...rs })),
        delaySeconds: c.delaySeconds,
        ...(c.revisionLimit !== undefined && { revisionLimit: c.revisionLimit }),
        keepReplicas: () => c.keep,
        now: Date.parse(golden.now) + (c.nowOffsetMs ?? 0),
      });
      const verdicts = plan.verdicts.map(({ ref, ...v }) => ({
        ...v,
        name: ref,
        ...('wakeAt' in v && { wakeAt: iso(v.wakeAt) }),
      }));
      assert.deepEqual(
        verdicts.map((v) => ({ ...v })),
        c.verdicts.map((v) => ({ ...v })),
      );
      assert.equal(plan.requeueAt === undefined ? undefined : iso(plan.requeueAt), c.requeueAt);
    });
  }
});
