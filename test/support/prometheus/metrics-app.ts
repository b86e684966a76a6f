import { createServer, type Server } from 'node:http';

/**
 * A tiny app exposing `http_requests_total{service, status}` counters in the Prometheus text format.
 * Every 100 ms it "serves" `requestsPerTick` requests per service, of which `errorRate` fail with 500,
 * so `rate(...)` over a few seconds reflects the error rate the test sets.
 */
export class MetricsApp {
  readonly services = new Map<string, { errorRate: number; ok: number; failed: number; carry: number }>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly requestsPerTick: number,
  ) {
    this.timer = setInterval(() => this.tick(), 100);
  }

  static async start(requestsPerTick = 100): Promise<MetricsApp> {
    let app: MetricsApp | undefined;
    const server = createServer((req, res) => {
      if (req.url !== '/metrics' || app === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(app.exposition());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    app = new MetricsApp(server, port, requestsPerTick);
    return app;
  }

  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Sets (or adds) a service's error rate, 0..1. */
  setErrorRate(service: string, errorRate: number): void {
    const s = this.services.get(service);
    if (s === undefined) this.services.set(service, { errorRate, ok: 0, failed: 0, carry: 0 });
    else s.errorRate = errorRate;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private tick(): void {
    for (const s of this.services.values()) {
      const failed = this.requestsPerTick * s.errorRate + s.carry;
      const whole = Math.floor(failed);
      s.carry = failed - whole;
      s.failed += whole;
      s.ok += this.requestsPerTick - whole;
    }
  }

  private exposition(): string {
    const lines = ['# HELP http_requests_total Requests served.', '# TYPE http_requests_total counter'];
    for (const [service, s] of this.services) {
      lines.push(`http_requests_total{service="${service}",status="200"} ${s.ok}`);
      lines.push(`http_requests_total{service="${service}",status="500"} ${s.failed}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
