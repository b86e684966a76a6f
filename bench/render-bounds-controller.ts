import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manager } from '../src/core/index.js';
import { LocalCluster } from '../src/dev/cluster/index.js';
import { installCrds } from '../src/install/index.js';
import { KubeClient } from '../src/kube/index.js';
import { Metrics, silentLogger } from '../src/observability/index.js';
import { type Application, ensureRenderTools, registerSyncController } from '../src/sync/index.js';
import { commitDirectory } from './support/commit-directory.js';

const MiB = 1024 * 1024;
const NS = 'bounds';
const log = (m: string) => console.log(`[render-bounds-controller] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function writeBig(path: string, head: string, bytes: number, unit: string): void {
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  const chunk = unit.repeat(Math.ceil(MiB / unit.length));
  for (let n = 0; n < bytes; n += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
}

function makeRepo(): { url: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'slipway-bench-bounds-repo-'));
  const dir = join(root, 'repo');
  const line = '    0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n';
  for (const d of ['good', 'big-file', 'kustomize-big', 'helm-big/templates'])
    mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(
    join(dir, 'good', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {k: v}\n',
  );
  writeBig(
    join(dir, 'big-file', 'huge.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  k: |\n',
    50 * MiB,
    line,
  );
  writeBig(
    join(dir, 'kustomize-big', 'big.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kbig}\ndata:\n  k: |\n',
    50 * MiB,
    line,
  );
  writeFileSync(join(dir, 'kustomize-big', 'kustomization.yaml'), 'resources: [big.yaml]\n');
  writeFileSync(join(dir, 'helm-big', 'Chart.yaml'), 'apiVersion: v2\nname: big\nversion: 1.0.0\n');
  writeBig(join(dir, 'helm-big', 'big.txt'), '', 50 * MiB, line);
  writeFileSync(
    join(dir, 'helm-big', 'templates', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hbig}\ndata:\n  k: {{ .Files.Get "big.txt" | quote }}\n',
  );
  return { url: commitDirectory(dir, 'oversized content'), root };
}

await ensureRenderTools();
log('writing a repository with 150 MB of oversized content');
const repo = makeRepo();
log('starting a local control plane');
const cluster = await LocalCluster.start({ components: [], readyTimeoutMs: 120_000 });
const client = KubeClient.fromKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
const workDir = mkdtempSync(join(tmpdir(), 'slipway-bench-bounds-'));
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
try {
  await installCrds(client);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const manager = new Manager({ client, logger: silentLogger(), metrics: new Metrics() });
  const handle = registerSyncController(manager, {
    workDir,
    credentials: { credentialsFor: async () => undefined },
  });
  await manager.start();
  await sleep(2000);
  const baseline = process.memoryUsage().rss;
  peak = baseline;
  const names = ['good', 'big-file', 'kustomize-big', 'helm-big'];
  const started = performance.now();
  for (const name of names) {
    await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: NS },
      spec: {
        project: 'default',
        source: { repoURL: repo.url, targetRevision: 'main', path: name },
        destination: { server: 'https://kubernetes.default.svc', namespace: NS },
        syncPolicy: { automated: { prune: true } },
      },
    });
  }
  const outcome = new Map<string, string>();
  while (outcome.size < names.length && performance.now() - started < 600_000) {
    for (const name of names) {
      const a = await client.get<Application>({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        namespace: NS,
        name,
      });
      const error = a.status?.conditions?.find((c) => c.type === 'ComparisonError')?.message;
      if (error) outcome.set(name, `ComparisonError: ${error}`);
      else if (a.status?.sync?.status === 'Synced') outcome.set(name, 'Synced');
    }
    await sleep(500);
  }
  const seconds = (performance.now() - started) / 1000;
  for (const name of names) log(`${name}: ${outcome.get(name) ?? 'no outcome in 10 min'}`);
  log(
    `controller RSS: ${(baseline / MiB).toFixed(0)} MiB before, peak ${(peak / MiB).toFixed(0)} MiB (${seconds.toFixed(0)} s)`,
  );
  console.log(
    JSON.stringify({
      bench: 'render-bounds-controller',
      baselineMiB: baseline / MiB,
      peakMiB: peak / MiB,
      seconds,
      outcomes: Object.fromEntries(outcome),
    }),
  );
  handle.stop();
  await manager.stop();
} finally {
  clearInterval(sampler);
  await cluster.stop();
  rmSync(workDir, { recursive: true, force: true });
  rmSync(repo.root, { recursive: true, force: true });
}
