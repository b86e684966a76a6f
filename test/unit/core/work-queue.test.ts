import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ItemExponentialRateLimiter,
  ManualClock,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
  WorkQueue,
} from '../../../src/core/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('dedups keys added before a worker takes them', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.length, 0);
    q.shutDown();
  });

  it('hands keys out in first-added order (fair)', async () => {
    const q = new WorkQueue();
    for (const k of ['c', 'a', 'b', 'a', 'c']) q.add(k);
    const got = [await q.get(), await q.get(), await q.get()];
    assert.deepEqual(got, ['c', 'a', 'b']);
    q.shutDown();
  });

  it('takes from the main and refresh lanes in turn, each in first-added order', async () => {
    const q = new WorkQueue();
    for (const k of ['m1', 'm2', 'm3', 'm4']) q.add(k);
    q.add('r1', 'refresh');
    q.add('r2', 'refresh');
    q.add('m1', 'refresh'); // already waiting in main: stays there, once
    assert.equal(q.length, 6);
    const got: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) got.push(await q.get());
    assert.deepEqual(got, ['m1', 'r1', 'm2', 'r2', 'm3', 'm4']);
    q.shutDown();
  });

  it('a key re-added while processing comes back in the lane it was re-added to', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('c');
    assert.equal(await q.get(), 'a');
    q.add('a', 'refresh');
    q.done('a');
    assert.equal(await q.get(), 'a', 'the refresh lane goes next');
    assert.equal(await q.get(), 'b');
    q.shutDown();
  });

  it('a timed requeue for the refresh lane lands there', async () => {
    const q = new WorkQueue();
    for (const k of ['m1', 'm2', 'm3']) q.add(k);
    assert.equal(await q.get(), 'm1');
    q.addAfter('r', 20, 'refresh');
    await sleep(40);
    assert.equal(await q.get(), 'r');
    assert.equal(await q.get(), 'm2');
    q.addAfter('x', 10, 'refresh');
    q.cancelAfter('x');
    q.addAfter('x', 10);
    q.add('y', 'refresh');
    await sleep(30);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], ['y', 'm3', 'x']);
    q.shutDown();
  });

  it('never hands the same key to two workers; a key re-added while processing comes back after done', async () => {
    const q = new WorkQueue();
    q.add('k');
    const first = await q.get();
    assert.equal(first, 'k');
    q.add('k');
    assert.equal(q.length, 0, 'not queued while processing');
    let second: string | undefined;
    const waiting = q.get().then((k) => {
      second = k;
    });
    await sleep(10);
    assert.equal(second, undefined, 'second worker must wait');
    q.done('k');
    await waiting;
    assert.equal(second, 'k');
    q.done('k');
    q.shutDown();
  });

  it('runs reconciles of one key strictly one at a time under many workers', async () => {
    const q = new WorkQueue();
    let active = 0;
    let maxActive = 0;
    let processed = 0;
    const worker = async () => {
      for (;;) {
        const k = await q.get();
        if (k === undefined) return;
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(1);
        if (processed < 20) q.add(k);
        processed += 1;
        active -= 1;
        q.done(k);
      }
    };
    q.add('same');
    const workers = Array.from({ length: 8 }, worker);
    while (processed < 20) await sleep(5);
    await sleep(10);
    q.shutDown();
    await Promise.all(workers);
    assert.equal(maxActive, 1);
  });

  it('addAfter delays a key and keeps the earliest time', async () => {
    const q = new WorkQueue();
    const start = Date.now();
    q.addAfter('late', 200);
    q.addAfter('late', 40);
    q.addAfter('later', 80);
    assert.equal(q.length, 0);
    const k1 = await q.get();
    const t1 = Date.now() - start;
    assert.equal(k1, 'late');
    assert.ok(t1 >= 35, `first key after ${t1} ms`);
    assert.equal(await q.get(), 'later');
    q.done('late');
    q.done('later');
    await sleep(200);
    assert.equal(q.length, 0, 'the superseded 200 ms schedule does not add the key again');
    q.shutDown();
  });

  it('cancelAfter drops a pending addAfter; a later addAfter of the key schedules anew', async () => {
    const q = new WorkQueue();
    q.addAfter('stale', 30);
    q.addAfter('kept', 30);
    q.cancelAfter('stale');
    assert.equal(await q.get(), 'kept');
    q.done('kept');
    q.addAfter('stale', 60);
    q.cancelAfter('stale');
    q.addAfter('stale', 90);
    const start = Date.now();
    assert.equal(await q.get(), 'stale');
    assert.ok(Date.now() - start >= 80, 'the replacing schedule, not the cancelled one');
    q.done('stale');
    await sleep(120);
    assert.equal(q.length, 0, 'a cancelled schedule never adds the key');
    q.shutDown();
  });

  it('addAfter with zero delay adds at once', async () => {
    const q = new WorkQueue();
    q.addAfter('now', 0);
    assert.equal(q.length, 1);
    q.shutDown();
  });

  it('shutDown wakes waiting workers with undefined and refuses new keys', async () => {
    const q = new WorkQueue();
    const waiting = [q.get(), q.get()];
    q.shutDown();
    assert.deepEqual(await Promise.all(waiting), [undefined, undefined]);
    q.add('x');
    assert.equal(q.length, 0);
    assert.equal(await q.get(), undefined);
  });

  it('shutDownWithDrain waits for keys being processed', async () => {
    const q = new WorkQueue();
    q.add('busy');
    const k = await q.get();
    let drained = false;
    const d = q.shutDownWithDrain().then(() => {
      drained = true;
    });
    await sleep(20);
    assert.equal(drained, false);
    q.done(k!);
    await d;
    assert.equal(drained, true);
  });

  it('addRateLimited backs off per key and forget resets it', async () => {
    const limiter = new ItemExponentialRateLimiter({ baseMs: 10, maxMs: 1000 });
    const q = new WorkQueue({ rateLimiter: limiter });
    q.addRateLimited('k');
    q.addRateLimited('k');
    assert.equal(q.numRequeues('k'), 2);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.shutDown();
  });
});

describe('rate limiters', () => {
  it('exponential backoff doubles per failure up to the cap', () => {
    const l = new ItemExponentialRateLimiter({ baseMs: 5, maxMs: 100 });
    assert.deepEqual(
      Array.from({ length: 7 }, () => l.when('k')),
      [5, 10, 20, 40, 80, 100, 100],
    );
    assert.equal(l.when('other'), 5, 'keys back off independently');
    l.forget('k');
    assert.equal(l.when('k'), 5);
  });

  it('token bucket allows the burst, then spaces at qps', () => {
    const clock = new ManualClock(0);
    const l = new TokenBucketRateLimiter({ qps: 10, burst: 3, clock });
    assert.deepEqual([l.when('a'), l.when('b'), l.when('c')], [0, 0, 0]);
    assert.equal(Math.round(l.when('d')), 100);
    assert.equal(Math.round(l.when('e')), 200);
    clock.advance(1000);
    assert.equal(l.when('f'), 0);
  });

  it('max-of takes the longest delay', () => {
    const clock = new ManualClock(0);
    const l = new MaxOfRateLimiter(
      new ItemExponentialRateLimiter({ baseMs: 5 }),
      new TokenBucketRateLimiter({ qps: 1, burst: 1, clock }),
    );
    assert.equal(l.when('a'), 5);
    assert.equal(Math.round(l.when('a')), 1000);
  });
});
