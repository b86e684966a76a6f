/**
 * Server-sent events: each open page is a stream that re-renders its view after cache changes
 * (throttled, so a burst of watch events costs one render) and sends it only when it changed. No
 * stream polls the API server; renders read the informer caches and cached access reviews.
 */
import type { ServerResponse } from 'node:http';

export interface StreamHubOptions {
  /** Coalesce changes for this long before re-rendering. Default 200 ms. */
  readonly throttleMs?: number;
  /** Most open streams; more are refused with 503. Default 256. */
  readonly maxStreams?: number;
  /** Keep-alive comment period (proxies close silent connections). Default 15 s. */
  readonly heartbeatMs?: number;
}

/** What a stream shows: a view (sent when changed) or an error (sent, then the stream ends). */
export type Rendered = { readonly data: unknown } | { readonly error: string; readonly status: number };

interface Stream {
  readonly res: ServerResponse;
  readonly render: () => Promise<Rendered>;
  last: string | undefined;
  busy: boolean;
  again: boolean;
}

export class StreamHub {
  private readonly streams = new Set<Stream>();
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: StreamHubOptions = {}) {
    this.heartbeat = setInterval(() => {
      for (const s of this.streams) s.res.write(': keep-alive\n\n');
    }, options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  get isFull(): boolean {
    return this.streams.size >= (this.options.maxStreams ?? 256);
  }

  /** Starts an event stream on `res` and sends the first render at once. */
  open(res: ServerResponse, render: () => Promise<Rendered>): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const stream: Stream = { res, render, last: undefined, busy: false, again: false };
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
    void this.refresh(stream);
  }

  /** A cache changed: re-render every stream after the throttle period. */
  changed(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const s of this.streams) void this.refresh(s);
    }, this.options.throttleMs ?? 200);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.heartbeat);
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const s of this.streams) s.res.end();
    this.streams.clear();
  }

  private async refresh(stream: Stream): Promise<void> {
    if (stream.busy) {
      stream.again = true;
      return;
    }
    stream.busy = true;
    try {
      do {
        stream.again = false;
        let rendered: Rendered;
        try {
          rendered = await stream.render();
        } catch (err) {
          rendered = { status: 502, error: err instanceof Error ? err.message : String(err) };
        }
        if (!this.streams.has(stream)) return;
        if ('error' in rendered) {
          stream.res.end(`event: failure\ndata: ${JSON.stringify(rendered)}\n\n`);
          this.streams.delete(stream);
          return;
        }
        const text = JSON.stringify(rendered.data);
        if (text !== stream.last) {
          stream.last = text;
          stream.res.write(`event: view\ndata: ${text}\n\n`);
        }
      } while (stream.again);
    } finally {
      stream.busy = false;
    }
  }
}
