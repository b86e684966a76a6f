import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Controller,
  type ReconcileResult,
  reconcileOutcome,
  requeueAfter,
  TerminalError,
} from '../../../src/core/index.js';
import { Metrics, silentLogger } from '../../../src/observability/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reconcileOutcome (controller-runtime reconcileHandler rules)', () => {
  const cases: readonly [string, ReconcileResult | undefined, ReturnType<typeof reconcileOutcome>][] = [
    ['no result', undefined, { kind: 'done' }],
    ['empty result', {}, { kind: 'done' }],
    ['requeueAfterMs 0 is no timed requeue', { requeueAfterMs: 0 }, { kind: 'done' }],
    ['a negative requeueAfterMs is no timed requeue', { requeueAfterMs: -5 }, { kind: 'done' }],
    [
      'a positive requeueAfterMs',
      { requeueAfterMs: 250 },
      { kind: 'requeueAfter', delayMs: 250, lane: 'main' },
    ],
    [
      'a timed requeue in the refresh lane',
      { requeueAfterMs: 500, lane: 'refresh' },
      { kind: 'requeueAfter', delayMs: 500, lane: 'refresh' },
    ],
    ['requeue: true', { requeue: true }, { kind: 'requeueRateLimited' }],
    ['requeue: false', { requeue: false }, { kind: 'done' }],
    [
      'requeueAfterMs wins over requeue',
      { requeue: true, requeueAfterMs: 30 },
      { kind: 'requeueAfter', delayMs: 30, lane: 'main' },
    ],
    ['requeue with requeueAfterMs 0', { requeue: true, requeueAfterMs: 0 }, { kind: 'requeueRateLimited' }],
  ];
  for (const [name, result, expected] of cases) {
    it(name, () => assert.deepEqual(reconcileOutcome({ result }), expected));
  }

  it('classifies thrown errors', () => {
    assert.deepEqual(reconcileOutcome({ error: new Error('boom') }), { kind: 'error' });
    assert.deepEqual(reconcileOutcome({ error: new TerminalError('TEST_INVALID', 'invalid') }), {
      kind: 'terminal',
    });
  });
});

describe('requeueAfter', () => {
  it('keeps a positive delay as a timed requeue', () => {
    assert.deepEqual(requeueAfter(1_500), { requeueAfterMs: 1_500 });
  });
  it('turns a due time already passed into a rate-limited requeue', () => {
    assert.deepEqual(requeueAfter(0), { requeue: true });
    assert.deepEqual(requeueAfter(-20), { requeue: true });
  });
});

describe('Controller outcomes', () => {
  function run(reconcile: () => ReconcileResult | undefined) {
    const asked: string[] = [];
    const forgotten: string[] = [];
    let calls = 0;
    const metrics = new Metrics();
    const c = new Controller({
      name: 'test',
      logger: silentLogger(),
      metrics,
      workers: 1,
      rateLimiter: {
        when: (key) => {
          asked.push(key);
          return 1;
        },
        forget: (key) => {
          forgotten.push(key);
        },
        retries: () => asked.length,
      },
      reconciler: {
        async reconcile() {
          calls += 1;
          return reconcile();
        },
      },
    });
    return { c, metrics, asked, forgotten, calls: () => calls };
  }

  it('does not requeue a result of requeueAfterMs 0', async () => {
    const t = run(() => ({ requeueAfterMs: 0 }));
    t.c.start();
    t.c.enqueue('ns/a');
    while (t.calls() < 1) await sleep(2);
    await sleep(100);
    await t.c.stop();
    assert.equal(t.calls(), 1, 'reconciled once, no busy loop');
    assert.deepEqual(t.asked, []);
    assert.deepEqual(t.forgotten, ['ns/a']);
    assert.match(
      await t.metrics.registry.getSingleMetricAsString('slipway_reconcile_total'),
      /result="success"\} 1/,
    );
  });

  it('requeues requeue: true through the rate limiter without forgetting the backoff', async () => {
    let n = 0;
    const t = run(() => (++n < 3 ? { requeue: true } : undefined));
    t.c.start();
    t.c.enqueue('ns/a');
    while (t.calls() < 3) await sleep(2);
    await t.c.stop();
    assert.deepEqual(t.asked, ['ns/a', 'ns/a'], 'one rate-limited requeue per requeue: true');
    assert.deepEqual(t.forgotten, ['ns/a'], 'backoff reset only once done');
    assert.match(
      await t.metrics.registry.getSingleMetricAsString('slipway_reconcile_total'),
      /result="requeue"\} 2/,
    );
  });

  it('forgets the backoff and requeues after a positive requeueAfterMs', async () => {
    let n = 0;
    const t = run(() => (++n < 2 ? { requeueAfterMs: 20 } : undefined));
    t.c.start();
    t.c.enqueue('ns/a');
    while (t.calls() < 2) await sleep(2);
    await t.c.stop();
    assert.deepEqual(t.asked, []);
    assert.deepEqual(t.forgotten, ['ns/a', 'ns/a']);
    assert.match(
      await t.metrics.registry.getSingleMetricAsString('slipway_reconcile_total'),
      /result="requeue_after"\} 1/,
    );
  });
});
