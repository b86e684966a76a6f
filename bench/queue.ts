// Work-queue throughput: keys/s through add → get → done with N workers, for distinct keys and for
// heavy duplication (where the queue's dedup does the work). Prints figures and one JSON line.
import { WorkQueue } from '../src/core/index.js';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const total = Number(args.get('--keys') ?? 1_000_000);
const workers = Number(args.get('--workers') ?? 4);

async function run(
  label: string,
  keyOf: (i: number) => string,
): Promise<{ label: string; added: number; processed: number; keysPerSecond: number }> {
  const q = new WorkQueue();
  let processed = 0;
  const pool = Array.from({ length: workers }, async () => {
    for (;;) {
      const k = await q.get();
      if (k === undefined) return;
      processed += 1;
      q.done(k);
    }
  });
  const started = performance.now();
  const batch = 10_000;
  for (let i = 0; i < total; i += batch) {
    for (let j = i; j < Math.min(total, i + batch); j++) q.add(keyOf(j));
    await new Promise((r) => setImmediate(r));
  }
  while (q.length > 0) await new Promise((r) => setImmediate(r));
  await q.shutDownWithDrain();
  await Promise.all(pool);
  const seconds = (performance.now() - started) / 1000;
  return { label, added: total, processed, keysPerSecond: Math.round(total / seconds) };
}

const distinct = await run('distinct keys', (i) => `ns-${i % 100}/obj-${i}`);
const duplicated = await run('1,000 hot keys', (i) => `ns/obj-${i % 1000}`);
for (const r of [distinct, duplicated]) {
  console.log(
    `${r.label.padEnd(16)} ${r.added.toLocaleString()} adds, ${r.processed.toLocaleString()} reconciles, ${r.keysPerSecond.toLocaleString()} adds/s (${workers} workers)`,
  );
}
console.log(JSON.stringify({ bench: 'queue', workers, distinct, duplicated }));
