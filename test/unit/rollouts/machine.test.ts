import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actionsOf,
  type RolloutContext,
  type RolloutEvent,
  runRolloutMachine,
} from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

interface Case {
  name: string;
  context?: Record<string, unknown>;
  events: RolloutEvent[];
  expected: {
    state: string;
    stepIndex: number;
    stableRS: string;
    pauses: string[];
    abort: boolean;
    abortedAt?: string;
    reasons: string[];
  };
}

const golden = readGolden<{
  base: RolloutContext;
  cases: Case[];
}>('rollouts/machine.json');

/** JSON null in an override removes the field. */
function contextFor(c: Case): RolloutContext {
  const merged: Record<string, unknown> = { ...golden.base, ...(c.context ?? {}) };
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  return merged as unknown as RolloutContext;
}

describe('rollout machine (golden step progressions)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const { snapshot, actions } = runRolloutMachine(contextFor(c), c.events);
      const ctx = snapshot.context;
      const actual = {
        state: String(snapshot.value),
        stepIndex: ctx.stepIndex,
        stableRS: ctx.stableRS ?? '',
        pauses: ctx.pauseConditions.map((p) => p.reason),
        abort: ctx.abort,
        ...(c.expected.abortedAt !== undefined && { abortedAt: ctx.abortedAt }),
        reasons: actionsOf(actions, 'recordEvent').map((a) => a.params.reason),
      };
      assert.deepEqual(actual, c.expected);
    });
  }
});
