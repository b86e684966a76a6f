import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../cluster/index.js';
import { ensurePrometheusBinary } from './binary.js';

export interface PrometheusOptions {
  /** `host:port` targets scraped as job "app". */
  readonly targets: readonly string[];
  /** Scrape interval. Default "1s". */
  readonly scrapeInterval?: string;
  /** An explicit binary (`SLIPWAY_PROMETHEUS_BIN`); see `ensurePrometheusBinary`. Default: system, else built. */
  readonly binary?: string | undefined;
  /** Progress lines while Prometheus is built (only when no binary is installed). */
  readonly onProgress?: (line: string) => void;
}

/**
 * A real Prometheus (Debian's `prometheus` package, else one built from the Go module proxy) on a free
 * 127.0.0.1 port with a temp config and TSDB dir. `stop()` kills it; `start()` brings it back on the same
 * port and data (an outage in a test).
 */
export class PrometheusServer {
  readonly url: string;
  private child: ChildProcess | undefined;

  private constructor(
    private readonly bin: string,
    private readonly port: number,
    private readonly dir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Starts Prometheus (building it first when none is installed) and waits until it is ready. */
  static async launch(options: PrometheusOptions): Promise<PrometheusServer> {
    const bin = await ensurePrometheusBinary({
      override: options.binary,
      ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
    });
    const dir = mkdtempSync(join(tmpdir(), 'slipway-prometheus-'));
    const interval = options.scrapeInterval ?? '1s';
    const targets = options.targets.map((t) => `'${t}'`).join(', ');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        `  scrape_interval: ${interval}`,
        `  evaluation_interval: ${interval}`,
        'scrape_configs:',
        '  - job_name: app',
        `    scrape_interval: ${interval}`,
        `    static_configs: [{targets: [${targets}]}]`,
        '',
      ].join('\n'),
    );
    const server = new PrometheusServer(bin, (await freePorts(1))[0]!, dir);
    await server.start();
    return server;
  }

  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** (Re)starts the process and waits for `/-/ready`. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.isRunning) return;
    const log = openSync(join(this.dir, 'prometheus.log'), 'a');
    this.child = spawn(
      this.bin,
      [
        `--config.file=${join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        '--storage.tsdb.retention.time=1h',
        '--log.level=warn',
      ],
      { stdio: ['ignore', log, log] },
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isRunning) throw new Error(`prometheus exited during startup:\n${this.logTail()}`);
      try {
        const res = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`prometheus not ready after ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** Kills the process (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.isRunning) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops and removes the temp dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs an instant query; the raw `data` object, or undefined on any failure. */
  async query(promql: string): Promise<{ resultType: string; result: unknown[] } | undefined> {
    try {
      const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`, {
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json()) as { data?: { resultType: string; result: unknown[] } };
      return body.data;
    } catch {
      return undefined;
    }
  }

  private logTail(): string {
    try {
      return readFileSync(join(this.dir, 'prometheus.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
