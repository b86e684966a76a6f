import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RenderJob, type RenderResult, WorkerRenderPool } from '../../../src/notifications/index.js';

const job = (message: string): RenderJob => ({
  names: ['t'],
  templates: { t: { message, others: {} } },
  variable: 'rollout',
  object: { metadata: { name: 'web' }, status: { currentStepIndex: 3 } },
  context: {},
  secrets: {},
  serviceType: 'slack',
  recipient: 'deploys',
  now: Date.parse('2026-12-06T10:00:00Z'),
});

// ~1e12 iterations (stopped by the step budget or the clock) and a quadratic string builder (memory churn).
const hostile = [
  '{{range 1000000}}{{range 1000000}}x{{end}}{{end}}',
  '{{$s := ""}}{{range 1000000}}{{$s = printf "%s%s" $s "xxxxxxxxxxxxxxxx"}}{{end}}{{$s}}',
  '{{range 1000}}{{$x := repeat 1000000 "ab"}}{{end}}',
];

describe('template rendering off the event loop, with budgets', () => {
  it('hostile templates become errors; the event loop keeps answering and RSS stays bounded', {
    timeout: 120_000,
  }, async () => {
    const pool = new WorkerRenderPool({ size: 1, timeoutMs: 1_000, maxHeapMb: 32 });
    try {
      // warm the worker up so its start is not part of the measurement
      assert.deepEqual(await pool.render(job('step {{.rollout.status.currentStepIndex}}')), {
        ok: true,
        notification: { message: 'step 3' },
      });
      const rssBefore = process.memoryUsage().rss;
      let pending = 7;
      const results: Promise<RenderResult>[] = [];
      for (let i = 0; i < 7; i++)
        results.push(
          pool.render(job(hostile[i % hostile.length] as string)).finally(() => {
            pending -= 1;
          }),
        );
      // a /healthz-style probe: event-loop turns keep completing while the renders are still running
      let turnsWhileRendering = 0;
      let peakRss = rssBefore;
      while (pending > 0) {
        await new Promise((r) => setTimeout(r, 20));
        if (pending > 0) turnsWhileRendering += 1;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
      const settled = await Promise.all(results);
      for (const r of settled) {
        assert.equal(r.ok, false);
        if (!r.ok) assert.match(r.error, /steps|longer than|memory budget|exceeds/);
      }
      assert.ok(turnsWhileRendering >= 7, `event loop answered ${turnsWhileRendering} times while rendering`);
      const growthMiB = (peakRss - rssBefore) / 2 ** 20;
      process.stdout.write(`RSS growth while rendering 7 hostile templates: ${growthMiB.toFixed(1)} MiB\n`);
      assert.ok(growthMiB < 150, `RSS grew ${growthMiB.toFixed(1)} MiB`);
      // the pool recovers: an ordinary template renders after the hostile ones
      assert.deepEqual(await pool.render(job('ok {{.recipient}}')), {
        ok: true,
        notification: { message: 'ok deploys' },
      });
    } finally {
      await pool.close();
    }
  });
});
