import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeClient, KubeObject } from '../kube/index.js';

/**
 * The demo's "application". kwok's pods run no containers, so this process plays their traffic: every
 * second, each Running pod of the demo Rollout serves `rps` requests, failing at the error rate of
 * its version (taken from the image tag), and the counts are exposed as Prometheus metrics labelled
 * with the pod's `rollouts-pod-template-hash`, exactly as a real app scraped per pod would be.
 */
export interface DemoAppOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  /** Label selector of the demo pods. */
  readonly selector: string;
  /** Error rate per version tag; unknown versions use 0.01. */
  readonly errorRates: Readonly<Record<string, number>>;
  /** p95-ish latency per version, in seconds. */
  readonly latencies?: Readonly<Record<string, number>>;
  readonly rps?: number;
}

interface Series {
  version: string;
  hash: string;
  ok: number;
  errors: number;
  latencySum: number;
}

export interface DemoApp {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startDemoApp(options: DemoAppOptions): Promise<DemoApp> {
  const series = new Map<string, Series>();
  const rps = options.rps ?? 100;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      const { items } = await options.client.listAll<
        KubeObject & { spec?: { containers?: { image?: string }[] }; status?: { phase?: string } }
      >({ apiVersion: 'v1', kind: 'Pod' }, { namespace: options.namespace, labelSelector: options.selector });
      for (const pod of items) {
        if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) continue;
        const image = pod.spec?.containers?.[0]?.image ?? '';
        const version = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest';
        const hash = pod.metadata.labels?.['rollouts-pod-template-hash'] ?? '';
        const key = `${version}|${hash}`;
        const s = series.get(key) ?? { version, hash, ok: 0, errors: 0, latencySum: 0 };
        const rate = options.errorRates[version] ?? 0.01;
        const failed = Math.round(rps * rate + (Math.random() - 0.5) * rps * rate * 0.2);
        s.errors += Math.max(0, failed);
        s.ok += rps - Math.max(0, failed);
        s.latencySum += rps * (options.latencies?.[version] ?? 0.05);
        series.set(key, s);
      }
    } catch {
      /* the API may be briefly unavailable; the next tick catches up */
    }
  };
  const timer = setInterval(() => void tick(), 1_000);
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    const lines = [
      '# HELP http_requests_total Requests served by the demo app, by version, pod-template hash and status code.',
      '# TYPE http_requests_total counter',
    ];
    for (const s of series.values()) {
      const l = `service="demo",version="${s.version}",rollouts_pod_template_hash="${s.hash}"`;
      lines.push(
        `http_requests_total{${l},code="200"} ${s.ok}`,
        `http_requests_total{${l},code="500"} ${s.errors}`,
      );
    }
    lines.push(
      '# HELP http_request_duration_seconds_sum Total request time.',
      '# TYPE http_request_duration_seconds_sum counter',
    );
    for (const s of series.values()) {
      lines.push(
        `http_request_duration_seconds_sum{service="demo",version="${s.version}",rollouts_pod_template_hash="${s.hash}"} ${s.latencySum.toFixed(3)}`,
      );
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
