import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRollbackWithinWindow, type ReplicaSet, type RollbackWindow } from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

interface Case {
  readonly name: string;
  readonly window?: RollbackWindow;
  readonly newRS: string;
  readonly stableRS?: string;
  readonly others: readonly string[];
  readonly expected: boolean;
}

const golden = readGolden<{ cases: Case[] }>('rollouts/rollback-window.json');

const rs = (name: string, creationTimestamp: string): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, creationTimestamp },
});

describe('rollback window', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const newRS = rs('new', c.newRS);
      const stableRS = c.stableRS === undefined ? undefined : rs('stable', c.stableRS);
      const all = [newRS, ...(stableRS ? [stableRS] : []), ...c.others.map((t, i) => rs(`other-${i}`, t))];
      assert.equal(isRollbackWithinWindow(c.window, newRS, stableRS, all), c.expected);
    });
  }
});
