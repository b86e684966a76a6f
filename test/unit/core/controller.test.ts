import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Controller,
  ItemExponentialRateLimiter,
  type ReconcileRequest,
  type ReconcileResult,
  requestFromKey,
  TerminalError,
} from '../../../src/core/index.js';
import { Metrics, silentLogger } from '../../../src/observability/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function controllerWith(
  reconcile: (req: ReconcileRequest) => Promise<ReconcileResult | undefined>,
  workers = 2,
) {
  const metrics = new Metrics();
  const c = new Controller({
    name: 'test',
    logger: silentLogger(),
    metrics,
    workers,
    rateLimiter: new ItemExponentialRateLimiter({ baseMs: 10, maxMs: 1000 }),
    reconciler: { reconcile: (_ctx, req) => reconcile(req) },
  });
  return { c, metrics };
}

describe('Controller', () => {
  it('splits keys into namespace and name', () => {
    assert.deepEqual(requestFromKey('ns/a'), { namespace: 'ns', name: 'a', key: 'ns/a' });
    assert.deepEqual(requestFromKey('cluster-scoped'), {
      namespace: '',
      name: 'cluster-scoped',
      key: 'cluster-scoped',
    });
  });

  it('retries a thrown error through the rate limiter and forgets the key once it succeeds', async () => {
    const asked: string[] = [];
    const forgotten: string[] = [];
    const limiter = new ItemExponentialRateLimiter({ baseMs: 1, maxMs: 10 });
    let calls = 0;
    const c = new Controller({
      name: 'test',
      logger: silentLogger(),
      workers: 2,
      rateLimiter: {
        when: (key) => {
          asked.push(key);
          return limiter.when(key);
        },
        forget: (key) => {
          forgotten.push(key);
          limiter.forget(key);
        },
        retries: (key) => limiter.retries(key),
      },
      reconciler: {
        async reconcile() {
          calls += 1;
          if (calls < 4) throw new Error('transient');
          return undefined;
        },
      },
    });
    c.start();
    c.enqueue('ns/a');
    while (calls < 4) await sleep(2);
    await c.stop();
    assert.deepEqual(asked, ['ns/a', 'ns/a', 'ns/a'], 'one rate-limited requeue per failure');
    assert.deepEqual(forgotten, ['ns/a'], 'backoff reset after success');
  });

  it('does not retry a TerminalError', async () => {
    let calls = 0;
    const { c, metrics } = controllerWith(async () => {
      calls += 1;
      throw new TerminalError('TEST_INVALID', 'spec is invalid');
    });
    c.start();
    c.enqueue('ns/a');
    await sleep(100);
    await c.stop();
    assert.equal(calls, 1);
    assert.match(
      await metrics.registry.getSingleMetricAsString('slipway_reconcile_total'),
      /result="terminal"\} 1/,
    );
  });

  it('requeues after the requested delay', async () => {
    const at: number[] = [];
    const { c } = controllerWith(async () => {
      at.push(Date.now());
      return at.length < 2 ? { requeueAfterMs: 60 } : undefined;
    });
    c.start();
    c.enqueue('ns/a');
    while (at.length < 2) await sleep(5);
    await c.stop();
    assert.ok(at[1]! - at[0]! >= 55, `requeued after ${at[1]! - at[0]!} ms`);
  });

  it('latestRequeueWins: a reconcile that needs no wake-up cancels the timer an earlier one asked for', async () => {
    for (const latestRequeueWins of [false, true]) {
      let calls = 0;
      const c = new Controller({
        name: 'test',
        logger: silentLogger(),
        workers: 2,
        latestRequeueWins,
        // the first reconcile (Progressing) wants a wake-up at its deadline; the next (Healthy) wants none
        reconciler: { reconcile: async () => (++calls === 1 ? { requeueAfterMs: 80 } : undefined) },
      });
      c.start();
      c.enqueue('ns/a');
      while (calls < 1) await sleep(5);
      c.enqueue('ns/a');
      while (calls < 2) await sleep(5);
      await sleep(250);
      await c.stop();
      // client-go's semantics: the stale timer still fires once; with latestRequeueWins it never does
      assert.equal(
        calls,
        latestRequeueWins ? 2 : 3,
        `latestRequeueWins ${latestRequeueWins}: ${calls} reconciles`,
      );
    }
  });

  it('latestRequeueWins: a later requeue-after replaces an earlier, sooner one', async () => {
    const at: number[] = [];
    const c = new Controller({
      name: 'test',
      logger: silentLogger(),
      workers: 1,
      latestRequeueWins: true,
      reconciler: {
        reconcile: async () => {
          at.push(Date.now());
          if (at.length === 1) return { requeueAfterMs: 40 };
          if (at.length === 2) return { requeueAfterMs: 150 };
          return undefined;
        },
      },
    });
    c.start();
    c.enqueue('ns/a');
    while (at.length < 1) await sleep(2);
    c.enqueue('ns/a');
    while (at.length < 3) await sleep(5);
    await c.stop();
    assert.ok(
      at[2]! - at[1]! >= 140,
      `woken ${at[2]! - at[1]!} ms after the second reconcile, not at the first's 40 ms`,
    );
  });

  it('never runs two reconciles of one key at once, across workers', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const { c } = controllerWith(async () => {
      active += 1;
      calls += 1;
      maxActive = Math.max(maxActive, active);
      await sleep(5);
      active -= 1;
      return undefined;
    }, 8);
    c.start();
    for (let i = 0; i < 50; i++) {
      c.enqueue('ns/same');
      await sleep(1);
    }
    await sleep(30);
    await c.stop();
    assert.equal(maxActive, 1);
    assert.ok(calls >= 2);
  });

  it('stop lets in-flight reconciles finish and takes no new work', async () => {
    let finished = 0;
    let started = 0;
    const { c } = controllerWith(async () => {
      started += 1;
      await sleep(80);
      finished += 1;
      return undefined;
    });
    c.start();
    c.enqueue('ns/a');
    await sleep(10);
    const stopping = c.stop(5_000);
    c.enqueue('ns/b');
    await stopping;
    assert.equal(started, 1);
    assert.equal(finished, 1);
  });

  it('stop gives up after its deadline and aborts the reconcile signal', async () => {
    let aborted = false;
    const c = new Controller({
      name: 'slow',
      logger: silentLogger(),
      workers: 1,
      reconciler: {
        reconcile: (ctx) =>
          new Promise((resolve) => {
            ctx.signal.addEventListener('abort', () => {
              aborted = true;
              resolve(undefined);
            });
          }),
      },
    });
    c.start();
    c.enqueue('ns/a');
    await sleep(10);
    const t = Date.now();
    await c.stop(50);
    assert.ok(Date.now() - t < 5_000, 'stop returned without waiting for the stuck reconcile');
    assert.equal(aborted, true);
  });
});
