// The entry of a render worker thread (see render-pool.ts): renders jobs one at a time with the pure
// template engine, under the thread's memory limits and the pool's wall-clock budget.
import { parentPort } from 'node:worker_threads';
import { type RenderJob, renderJob, TemplateRenderer } from './render.js';

const renderer = new TemplateRenderer();
parentPort?.on('message', (message: { readonly seq: number; readonly job: RenderJob }) => {
  let result: ReturnType<typeof renderJob>;
  try {
    result = renderJob(renderer, message.job);
  } catch (err) {
    result = {
      ok: false,
      template: message.job.names[0] ?? '',
      error: err instanceof Error ? err.message : String(err),
    };
  }
  parentPort?.postMessage({ seq: message.seq, result });
});
parentPort?.postMessage({ ready: true });
