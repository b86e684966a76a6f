import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Condition,
  ConditionRules,
  findCondition,
  isConditionTrue,
  markFalse,
  markTrue,
  markUnknown,
  removeCondition,
  setCondition,
  toKubeTime,
} from '../../../src/core/index.js';

type Reason = 'Ok' | 'Broken';
type Type = 'Ready' | 'Stalled';
type C = Condition<Type, Reason>;

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T11:00:00Z';
const ready: C = { type: 'Ready', status: 'True', reason: 'Ok', message: 'fine', lastTransitionTime: T0 };
const stalled: C = { type: 'Stalled', status: 'False', reason: 'Ok', message: '', lastTransitionTime: T0 };

describe('find, isTrue, remove', () => {
  it('finds by type and tests for True', () => {
    assert.equal(findCondition([stalled, ready], 'Ready'), ready);
    assert.equal(findCondition(undefined, 'Ready'), undefined);
    assert.equal(isConditionTrue([stalled, ready], 'Ready'), true);
    assert.equal(isConditionTrue([stalled, ready], 'Stalled'), false);
    assert.equal(isConditionTrue(undefined, 'Ready'), false);
  });
  it('removes by type without touching the input', () => {
    const list = [ready, stalled];
    assert.deepEqual(removeCondition(list, 'Ready'), [stalled]);
    assert.deepEqual(list, [ready, stalled]);
    assert.deepEqual(removeCondition(undefined, 'Ready'), []);
  });
});

describe('setCondition with metav1 rules', () => {
  const rules = ConditionRules.metav1;
  it('adds a new condition last with lastTransitionTime = now and no lastUpdateTime', () => {
    const r = setCondition<C>([stalled], { type: 'Ready', status: 'False', reason: 'Broken' }, T1, rules);
    assert.equal(r.changed, true);
    assert.deepEqual(r.conditions, [
      stalled,
      { type: 'Ready', status: 'False', reason: 'Broken', lastTransitionTime: T1 },
    ]);
  });
  it('keeps the very same list when status, reason and message are unchanged', () => {
    const list = [ready, stalled];
    const r = setCondition<C>(
      list,
      { type: 'Ready', status: 'True', reason: 'Ok', message: 'fine' },
      T1,
      rules,
    );
    assert.equal(r.changed, false);
    assert.equal(r.conditions, list);
  });
  it('updates the message in place and keeps the time while the status stays', () => {
    const r = setCondition<C>(
      [ready, stalled],
      { type: 'Ready', status: 'True', reason: 'Ok', message: 'new' },
      T1,
      rules,
    );
    assert.deepEqual(r.conditions, [{ ...ready, message: 'new', lastTransitionTime: T0 }, stalled]);
  });
  it('moves the time when the status changes', () => {
    const r = markFalse<C>([ready], { type: 'Ready', reason: 'Broken', message: 'down' }, T1, rules);
    assert.deepEqual(r.conditions, [
      { type: 'Ready', status: 'False', reason: 'Broken', message: 'down', lastTransitionTime: T1 },
    ]);
  });
});

describe('setCondition with Argo Rollouts rules', () => {
  const rules = ConditionRules.argoRollouts;
  const stamped = { ...ready, lastUpdateTime: T0 };
  it('same status and reason keep everything, even an older message', () => {
    const r = markTrue<C>([stamped], { type: 'Ready', reason: 'Ok', message: 'other' }, T1, rules);
    assert.equal(r.changed, false);
    assert.deepEqual(r.conditions, [stamped]);
  });
  it('a new reason moves the condition last, stamps lastUpdateTime and keeps lastTransitionTime', () => {
    const r = markTrue<C>([stamped, stalled], { type: 'Ready', reason: 'Broken', message: 'x' }, T1, rules);
    assert.deepEqual(r.conditions, [
      stalled,
      {
        type: 'Ready',
        status: 'True',
        reason: 'Broken',
        message: 'x',
        lastUpdateTime: T1,
        lastTransitionTime: T0,
      },
    ]);
    assert.deepEqual(Object.keys(r.conditions[1]!), [
      'type',
      'status',
      'reason',
      'message',
      'lastUpdateTime',
      'lastTransitionTime',
    ]);
  });
  it('an empty keepWhenSame rewrites on every set', () => {
    const always = { ...rules, keepWhenSame: [] };
    const r = markUnknown<C>(
      [{ ...stamped, status: 'Unknown' }],
      { type: 'Ready', reason: 'Ok', message: 'fine' },
      T1,
      always,
    );
    assert.equal(r.changed, true);
    assert.deepEqual(r.conditions, [
      { ...stamped, status: 'Unknown', lastUpdateTime: T1, lastTransitionTime: T0 },
    ]);
  });
});

describe('setCondition with Argo CD rules (status-less application conditions)', () => {
  interface AppCondition {
    readonly type: string;
    readonly message: string;
    readonly lastTransitionTime?: string;
  }
  const rules = ConditionRules.argoCd;
  const stored: AppCondition = { type: 'ComparisonError', message: 'boom', lastTransitionTime: T0 };
  it('keeps the condition while its message is the same', () => {
    const r = setCondition<AppCondition>([stored], { type: 'ComparisonError', message: 'boom' }, T1, rules);
    assert.equal(r.changed, false);
    assert.deepEqual(r.conditions, [stored]);
  });
  it('restarts the time when the message changes', () => {
    const r = setCondition<AppCondition>([stored], { type: 'ComparisonError', message: 'other' }, T1, rules);
    assert.deepEqual(r.conditions, [{ type: 'ComparisonError', message: 'other', lastTransitionTime: T1 }]);
  });
  it('fills a missing lastTransitionTime on a kept condition', () => {
    const r = setCondition<AppCondition>(
      [{ type: 'SyncError', message: 'm' }],
      { type: 'SyncError', message: 'm' },
      T1,
      rules,
    );
    assert.equal(r.changed, true);
    assert.deepEqual(r.conditions, [{ type: 'SyncError', message: 'm', lastTransitionTime: T1 }]);
  });
});

describe('toKubeTime', () => {
  it('prints metav1.Time: UTC, whole seconds', () => {
    assert.equal(toKubeTime(1_714_561_200_999), '2024-05-01T11:00:00Z');
  });
});
