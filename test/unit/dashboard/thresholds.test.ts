import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conditionThresholds, measuredNumber } from '../../../src/dashboard/index.js';

describe('dashboard: chart thresholds from analysis conditions', () => {
  it('reads simple comparisons of result with a number, either way round', () => {
    assert.deepEqual(conditionThresholds('result[0] >= 0.95', 'success'), [
      { kind: 'success', op: '>=', value: 0.95 },
    ]);
    assert.deepEqual(conditionThresholds('0.5 > result', 'failure'), [
      { kind: 'failure', op: '<', value: 0.5 },
    ]);
    assert.deepEqual(conditionThresholds('asFloat(result) < 1e3', 'failure'), [
      { kind: 'failure', op: '<', value: 1000 },
    ]);
    assert.deepEqual(conditionThresholds('result > 1 && result < 10', 'success'), [
      { kind: 'success', op: '>', value: 1 },
      { kind: 'success', op: '<', value: 10 },
    ]);
  });

  it('charts nothing for conditions it cannot read as a number line', () => {
    assert.deepEqual(conditionThresholds(undefined, 'success'), []);
    assert.deepEqual(conditionThresholds('len(result) > 0', 'success'), []);
    assert.deepEqual(conditionThresholds('result.status == "ok"', 'success'), []);
    assert.deepEqual(
      conditionThresholds(`result > ${'9'.repeat(2000)}`, 'success'),
      [],
      'over-long input ignored',
    );
  });

  it('reads a measurement value as its first number', () => {
    assert.equal(measuredNumber('0.97'), 0.97);
    assert.equal(measuredNumber('[0.97]'), 0.97);
    assert.equal(measuredNumber('[0.5 0.7]'), 0.5);
    assert.equal(measuredNumber('-3e2'), -300);
    assert.equal(measuredNumber('NaN'), undefined);
    assert.equal(measuredNumber('{"a":1}'), undefined);
    assert.equal(measuredNumber(undefined), undefined);
  });
});
