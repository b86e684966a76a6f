import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

export interface ProbeServerOptions {
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  readonly metrics: Metrics;
  /** Liveness: the process is not wedged. */
  readonly isHealthy?: () => boolean;
  /** Readiness: caches synced and (optionally) leading. */
  readonly isReady?: () => boolean;
  /** Extra routes (for example the Git webhook), tried before 404. */
  readonly routes?: Readonly<Record<string, http.RequestListener>>;
}

export interface ProbeServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves /metrics, /healthz and /readyz. */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const extra = options.routes?.[path];
    if (extra) return extra(req, res);
    if (path === '/metrics') {
      options.metrics.registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'Content-Type': options.metrics.registry.contentType });
          res.end(text);
        })
        .catch(() => {
          res.writeHead(500).end('metrics unavailable\n');
        });
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const ok = path === '/healthz' ? (options.isHealthy?.() ?? true) : (options.isReady?.() ?? true);
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '0.0.0.0', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
