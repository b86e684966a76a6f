import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachBounded } from '../../../src/core/index.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('forEachBounded', () => {
  it('runs every item, never more than the limit at once, in order of start', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      running++;
      most = Math.max(most, running);
      for (let i = 0; i < n % 3; i++) await tick();
      running--;
    });
    assert.deepEqual(started, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(most, 3);
    assert.equal(running, 0);
  });

  it('handles no items and a limit below one', async () => {
    await forEachBounded([], 4, async () => assert.fail('no call expected'));
    const seen: string[] = [];
    await forEachBounded(['a', 'b'], 0, async (s) => {
      seen.push(s);
    });
    assert.deepEqual(seen, ['a', 'b']);
  });

  it('rejects with the first failure once the calls in flight have finished, starting no more', async () => {
    const finished: number[] = [];
    await assert.rejects(
      forEachBounded([1, 2, 3, 4, 5], 2, async (n) => {
        await tick();
        if (n === 2) throw new Error('boom 2');
        await tick();
        finished.push(n);
      }),
      /boom 2/,
    );
    assert.deepEqual(finished, [1]);
  });
});
