import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { type LocalHttpServer, startLocalHttpServer } from '../local-http-server.js';

export interface TestChart {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  /** Files inside the chart folder (Chart.yaml is written from name and version). */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * A Helm chart repository on loopback: `index.yaml` and one `<name>-<version>.tgz` per chart,
 * packaged with tar as `helm package` lays them out. Charts can be added while it runs.
 */
/** Writes `chart` as a chart folder at `root`: its Chart.yaml (apiVersion v2) and its files. */
export function writeChartFolder(root: string, chart: TestChart): void {
  const files: Record<string, string> = {
    'Chart.yaml': stringify({
      apiVersion: 'v2',
      name: chart.name,
      version: chart.version,
      ...(chart.appVersion && { appVersion: chart.appVersion }),
    }),
    ...chart.files,
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
}

export class ChartRepoServer {
  private readonly archives = new Map<string, Buffer>();
  private readonly charts: TestChart[] = [];
  requests = 0;

  private constructor(private readonly server: LocalHttpServer) {}

  static async start(charts: readonly TestChart[], auth?: { username: string; password: string }) {
    const expected = auth
      ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
      : undefined;
    let self: ChartRepoServer | undefined;
    const server = await startLocalHttpServer((req, res) => {
      if (!self) return void res.writeHead(503).end();
      self.requests++;
      if (expected !== undefined && req.headers.authorization !== expected)
        return void res.writeHead(401).end();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path === '/index.yaml')
        return void res.writeHead(200, { 'Content-Type': 'text/yaml' }).end(self.index());
      const archive = self.archives.get(path.slice(1));
      if (!archive) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'application/gzip' }).end(archive);
    });
    self = new ChartRepoServer(server);
    for (const c of charts) self.add(c);
    return self;
  }

  get url(): string {
    return this.server.base;
  }

  /** Packages and publishes a chart version. */
  add(chart: TestChart): void {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-chart-'));
    try {
      writeChartFolder(join(dir, chart.name), chart);
      const tgz = join(dir, 'chart.tgz');
      execFileSync('tar', ['-czf', tgz, '-C', dir, chart.name]);
      this.archives.set(`${chart.name}-${chart.version}.tgz`, readFileSync(tgz));
      this.charts.push(chart);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private index(): string {
    const entries: Record<string, unknown[]> = {};
    for (const c of this.charts) {
      const list = entries[c.name] ?? [];
      entries[c.name] = list;
      list.push({
        apiVersion: 'v2',
        name: c.name,
        version: c.version,
        ...(c.appVersion && { appVersion: c.appVersion }),
        urls: [`${c.name}-${c.version}.tgz`],
        created: '2026-01-01T00:00:00Z',
      });
    }
    return stringify({ apiVersion: 'v1', entries, generated: '2026-01-01T00:00:00Z' });
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
