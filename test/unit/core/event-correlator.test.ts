import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMBINED_PREFIX, type Correlation, EventCorrelator } from '../../../src/core/index.js';

const MIN = 60_000;
const event = (message: string, reason = 'ScalingReplicaSet', object = 'uid-1', type = 'Normal') => ({
  object,
  type,
  reason,
  message,
});
const written = (c: Correlation) => {
  assert.equal(c.skip, false);
  return (c as Extract<Correlation, { skip: false }>).event;
};

// The cases follow client-go's events_cache_test.go: TestEventCorrelator and TestEventSpamFilter.
describe('EventCorrelator (client-go semantics)', () => {
  it('counts a repeat of an identical event on the Event already named', () => {
    const c = new EventCorrelator();
    const first = written(c.correlate(event('scaled up'), 0, 'r.1'));
    assert.deepEqual(
      { name: first.name, count: first.count, existing: first.existing, message: first.message },
      { name: 'r.1', count: 1, existing: false, message: 'scaled up' },
    );
    const again = written(c.correlate(event('scaled up'), 1000, 'r.2'));
    assert.deepEqual(
      {
        name: again.name,
        count: again.count,
        existing: again.existing,
        key: again.key,
        first: again.firstTimestamp,
        last: again.lastTimestamp,
      },
      { name: 'r.1', count: 2, existing: true, key: first.key, first: 0, last: 1000 },
    );
  });

  it('combines similar events from the 10th distinct message within 10 minutes', () => {
    const c = new EventCorrelator();
    for (let i = 0; i < 9; i++) {
      const e = written(c.correlate(event(`message ${i}`), i * MIN, `r.${i}`));
      assert.equal(e.existing, false);
      assert.equal(e.message, `message ${i}`);
    }
    const combined = written(c.correlate(event('message 9'), 9 * MIN, 'r.9'));
    assert.equal(combined.message, `${COMBINED_PREFIX}message 9`);
    assert.equal(combined.existing, false);
    const next = written(c.correlate(event('message 10'), 9 * MIN + 1, 'r.10'));
    assert.equal(next.message, `${COMBINED_PREFIX}message 10`);
    assert.equal(next.name, combined.name, 'later similar events update the combined Event');
    assert.equal(next.count, 2);
    // another reason, another object, another type: not similar
    assert.equal(written(c.correlate(event('message 11', 'Other'), 9 * MIN + 2, 'o.1')).existing, false);
    assert.equal(written(c.correlate(event('message 11', undefined, 'uid-2'), 9 * MIN + 2, 'o.2')).count, 1);
  });

  it('starts a new aggregation window after 10 quiet minutes', () => {
    const c = new EventCorrelator();
    for (let i = 0; i < 9; i++) c.correlate(event(`m${i}`), 0, `r.${i}`);
    const later = written(c.correlate(event('m9'), 10 * MIN + 1, 'r.9'));
    assert.equal(later.message, 'm9');
  });

  it('lets 25 events about one object and reason through, then one per 5 minutes (repeats included)', () => {
    const c = new EventCorrelator();
    const outcomes: boolean[] = [];
    for (let i = 0; i < 30; i++) outcomes.push(c.correlate(event('same'), i, 'r.x').skip);
    assert.deepEqual(
      outcomes,
      Array.from({ length: 30 }, (_, i) => i >= 25),
    );
    // another object, another type and another reason have their own buckets
    assert.equal(c.correlate(event('same', 'SkipSteps'), 30, 'r.w').skip, false);
    assert.equal(c.correlate(event('same', undefined, 'uid-2'), 30, 'r.y').skip, false);
    assert.equal(c.correlate(event('same', undefined, undefined, 'Warning'), 30, 'r.z').skip, false);
    assert.equal(c.correlate(event('same'), 30 + 5 * MIN - 100, 'r.x').skip, true);
    const refilled = c.correlate(event('same'), 30 + 5 * MIN, 'r.x');
    assert.equal(refilled.skip, false);
    // the occurrences filtered in between were counted, as client-go counts them
    assert.equal(written(refilled).count, 32);
  });

  it('creates the Event again after it was forgotten (gone on the server)', () => {
    const c = new EventCorrelator();
    const first = written(c.correlate(event('x'), 0, 'r.1'));
    c.forget(first.key);
    const again = written(c.correlate(event('x'), 1, 'r.2'));
    assert.deepEqual(
      { name: again.name, existing: again.existing, count: again.count },
      {
        name: 'r.2',
        existing: false,
        count: 1,
      },
    );
  });

  it('keeps each cache within its size', () => {
    const c = new EventCorrelator({ cacheSize: 3 });
    for (let i = 0; i < 10; i++) c.correlate(event('x', 'R', `uid-${i}`), i, `n.${i}`);
    // the oldest object was forgotten: its next event is a new Event
    assert.equal(written(c.correlate(event('x', 'R', 'uid-0'), 20, 'n.new')).existing, false);
    assert.equal(written(c.correlate(event('x', 'R', 'uid-9'), 21, 'n.new2')).existing, true);
  });
});
