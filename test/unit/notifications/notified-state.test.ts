import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type NotificationKeyParts,
  type NotifiedState,
  notificationKey,
  notifiedAnnotation,
  observeCondition,
  parseNotifiedState,
  rearm,
  serializeNotifiedState,
  shouldNotify,
  truncateNotifiedState,
} from '../../../src/notifications/index.js';
import { readGolden } from '../../support/golden.js';

interface Golden {
  readonly keys: readonly { name: string; parts: NotificationKeyParts; key: string }[];
  readonly sequences: readonly {
    name: string;
    initial: string;
    steps: readonly { key: string; conditionTrue: boolean; now: number; send: boolean }[];
    annotation: string | null;
  }[];
  readonly truncation: readonly {
    name: string;
    state: NotifiedState;
    max: number;
    expected: NotifiedState;
  }[];
}

const golden = readGolden<Golden>('notifications/notified-state.json');

describe('notified state keys (golden)', () => {
  for (const c of golden.keys) {
    it(c.name, () => assert.equal(notificationKey(c.parts), c.key));
  }
});

describe('notified state transitions (golden)', () => {
  for (const c of golden.sequences) {
    it(c.name, () => {
      let state = parseNotifiedState(c.initial);
      c.steps.forEach((step, i) => {
        const result = observeCondition(state, step.key, step.conditionTrue, step.now);
        assert.equal(result.send, step.send, `step ${i}`);
        state = result.state;
      });
      assert.equal(serializeNotifiedState(state) ?? null, c.annotation);
    });
  }
});

describe('notified state truncation (golden)', () => {
  for (const c of golden.truncation) {
    it(c.name, () => assert.deepEqual(truncateNotifiedState(c.state, c.max), c.expected));
  }
});

describe('notified state', () => {
  it('uses the upstream annotation name', () =>
    assert.equal(notifiedAnnotation, 'notified.notifications.argoproj.io'));

  it('keeps at most 100 entries when serialized, dropping the oldest', () => {
    const state: Record<string, number> = {};
    for (let i = 0; i < 130; i++) state[`k${String(i).padStart(3, '0')}`] = 1000 + i;
    const kept = parseNotifiedState(serializeNotifiedState(state));
    assert.equal(Object.keys(kept).length, 100);
    assert.equal(kept.k029, undefined);
    assert.equal(kept.k030, 1030);
    assert.equal(kept.k129, 1129);
  });

  it('drops non-numeric values and tolerates non-object JSON', () => {
    assert.deepEqual(parseNotifiedState('{"a":1,"b":"x","c":2.7}'), { a: 1, c: 2 });
    assert.deepEqual(parseNotifiedState('[1,2]'), {});
    assert.deepEqual(parseNotifiedState(undefined), {});
  });

  it('shouldNotify and rearm are pure', () => {
    const state = { a: 1 };
    assert.equal(shouldNotify(state, 'a', true), false);
    assert.equal(shouldNotify(state, 'b', true), true);
    assert.equal(shouldNotify(state, 'b', false), false);
    assert.deepEqual(rearm(state, 'a'), {});
    assert.deepEqual(state, { a: 1 });
  });
});
