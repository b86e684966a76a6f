// Loaded with `node --import` into a process that bench/baseline-memory.ts measures. On SIGUSR2 it
// appends one JSON line to $BENCH_PROBE_FILE: process.memoryUsage() and, when $BENCH_PROBE_MODULES=1,
// the modules loaded so far (ES modules seen by a load hook, CommonJS ones from require's cache). The
// hook runs on a thread of its own, which costs memory: the bench counts modules in a separate run.
// Plain JavaScript: the measured process runs the compiled controller without a TypeScript loader.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const file = process.env.BENCH_PROBE_FILE;
const esm = new Set();
const census = process.env.BENCH_PROBE_MODULES === '1';
if (census) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => esm.add(url));
  port1.unref();
  register('./module-census-hooks.mjs', {
    parentURL: import.meta.url,
    data: { port: port2 },
    transferList: [port2],
  });
}

function loadedModules() {
  const cjs = Object.keys(createRequire(import.meta.url).cache).map((p) => pathToFileURL(p).href);
  return [...new Set([...esm, ...cjs])].filter((url) => url.startsWith('file:') && url !== import.meta.url);
}

const write = (record) => {
  if (file !== undefined) appendFileSync(file, `${JSON.stringify(record)}\n`);
};

process.on('SIGUSR2', () => {
  write({ memory: process.memoryUsage(), ...(census && { modules: loadedModules() }) });
});
write({ loaded: true });
