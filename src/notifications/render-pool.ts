import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type RenderJob, type RenderResult, renderJob, TemplateRenderer } from './render.js';

/**
 * Where templates are rendered. Templates are user input: a render may loop for long or build huge strings,
 * so the controller renders in worker threads with a memory limit and a wall-clock budget
 * (`WorkerRenderPool`); a render over budget becomes a template error on that notification while the
 * event loop, the other reconciles and `/healthz` carry on.
 */
export interface Renderer {
  render(job: RenderJob): Promise<RenderResult>;
  /** Stops the workers (tests, shutdown). */
  close(): Promise<void>;
}

/** Renders in the calling thread (CLI dry runs, unit tests). */
export class InlineRenderer implements Renderer {
  private readonly renderer = new TemplateRenderer();

  async render(job: RenderJob): Promise<RenderResult> {
    return renderJob(this.renderer, job);
  }

  async close(): Promise<void> {}
}

export interface RenderPoolOptions {
  /** Worker threads. Default 1. */
  readonly size?: number;
  /** Wall-clock budget of one render, queueing excluded. Default 2,000 ms. */
  readonly timeoutMs?: number;
  /** Old-generation heap limit of a worker. Default 64 MiB. */
  readonly maxHeapMb?: number;
  /** How long a new worker may take to load before it is replaced. Default 30,000 ms. */
  readonly startTimeoutMs?: number;
}

interface Job {
  readonly seq: number;
  readonly job: RenderJob;
  readonly resolve: (result: RenderResult) => void;
}

interface Slot {
  worker: Worker | undefined;
  /** The worker has loaded and takes jobs (startup is not charged to a job's budget). */
  ready: boolean;
  current: Job | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The worker: the compiled `render-worker.js` next to this file, or, when running the sources through tsx
 * (whose loader a worker does not inherit), a bootstrap that registers tsx and imports `render-worker.ts`.
 */
function workerEntry(): { readonly entry: URL | string; readonly eval: boolean } {
  const js = new URL('./render-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { entry: js, eval: false };
  const ts = new URL('./render-worker.ts', import.meta.url).href;
  // resolved here, not in the worker: an eval'd worker resolves bare names from the working directory
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return { entry: bootstrap, eval: true };
}

const failed = (job: RenderJob, error: string): RenderResult => ({
  ok: false,
  template: job.names.join(', '),
  error,
});

/** Renders in worker threads; a worker over its budget is terminated and replaced. */
export class WorkerRenderPool implements Renderer {
  private readonly queue: Job[] = [];
  private readonly slots: Slot[];
  private seq = 0;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly maxHeapMb: number;

  constructor(options: RenderPoolOptions = {}) {
    this.slots = Array.from({ length: Math.max(1, options.size ?? 1) }, () => ({
      worker: undefined,
      ready: false,
      current: undefined,
      timer: undefined,
    }));
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.maxHeapMb = options.maxHeapMb ?? 64;
  }

  render(job: RenderJob): Promise<RenderResult> {
    if (this.closed) return Promise.resolve(failed(job, 'rendering stopped'));
    return new Promise<RenderResult>((resolve) => {
      this.queue.push({ seq: ++this.seq, job, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.resolve(failed(j.job, 'rendering stopped'));
    await Promise.all(this.slots.map((s) => this.retire(s, 'rendering stopped')));
  }

  private spawn(slot: Slot): Worker {
    const { entry, eval: isEval } = workerEntry();
    const worker = new Worker(entry, {
      eval: isEval,
      // Not the parent's flags: under `node -e …` they hold the parent's script, which the worker would
      // run instead of its entry (it never became ready and every render waited forever).
      execArgv: [],
      resourceLimits: {
        maxOldGenerationSizeMb: this.maxHeapMb,
        maxYoungGenerationSizeMb: Math.max(4, Math.floor(this.maxHeapMb / 8)),
        stackSizeMb: 4,
      },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    // A worker that does not start fails the oldest waiting render, so a broken worker never stalls
    // the callers (a reconcile awaiting its notifications' render) and the next one gets a fresh worker.
    slot.timer = setTimeout(() => {
      if (slot.worker !== worker || slot.ready) return;
      const waiting = this.queue.shift();
      waiting?.resolve(failed(waiting.job, 'the render worker did not start'));
      void this.retire(slot, 'the render worker did not start');
    }, this.startTimeoutMs);
    slot.timer.unref();
    worker.on('message', (m: { readonly seq: number; readonly result: RenderResult } | { ready: true }) => {
      if ('ready' in m) {
        clearTimeout(slot.timer);
        slot.ready = true;
        this.dispatch();
        return;
      }
      const job = slot.current;
      if (job === undefined || job.seq !== m.seq) return;
      clearTimeout(slot.timer);
      slot.current = undefined;
      job.resolve(m.result);
      this.dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const reason =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `rendering exceeded its memory budget (${this.maxHeapMb} MiB)`
          : `rendering failed: ${err.message}`;
      void this.retire(slot, reason);
    });
    worker.on('exit', () => {
      if (slot.worker !== worker) return;
      void this.retire(slot, 'rendering failed: the render worker exited');
    });
    return worker;
  }

  /** Fails the slot's current job with `reason` and drops its worker (a new one starts on demand). */
  private async retire(slot: Slot, reason: string): Promise<void> {
    const { worker, current } = slot;
    clearTimeout(slot.timer);
    slot.worker = undefined;
    slot.ready = false;
    slot.current = undefined;
    current?.resolve(failed(current.job, reason));
    if (worker !== undefined) await worker.terminate().catch(() => undefined);
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.current !== undefined) continue;
      if (this.queue.length === 0) return;
      slot.worker ??= this.spawn(slot);
      if (!slot.ready) continue;
      const job = this.queue.shift() as Job;
      slot.current = job;
      slot.timer = setTimeout(
        () => void this.retire(slot, `rendering took longer than ${this.timeoutMs} ms`),
        this.timeoutMs,
      );
      slot.timer.unref();
      slot.worker.postMessage({ seq: job.seq, job: job.job });
    }
  }
}
