// The dashboard's server side at fleet scale, in process (no cluster, RBAC answered by a stub that
// allows everything, as cached SubjectAccessReviews do): N Rollouts + N Applications in the stores, S
// open Fleet streams. Prints the first render per stream, the update latency (a Rollout's status
// changes → every stream has the new view), the view's size and the extra RSS of S open dashboards.
// Nothing asserts on time.
import {
  type AccessReviewer,
  DashboardApi,
  type DashboardStores,
  startDashboardServer,
} from '../src/dashboard/index.js';
import { ObjectStore } from '../src/kube/index.js';
import { silentLogger } from '../src/observability/index.js';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const n = Number(args.get('--objects') ?? 1000);
const streams = Number(args.get('--streams') ?? 10);
const updates = Number(args.get('--updates') ?? 20);

const gc = (globalThis as { gc?: () => void }).gc;
const rssMiB = () => {
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

function rollout(i: number, step: number) {
  const ns = `team-${i % 50}`;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: `svc-${i}`, namespace: ns, uid: `u-${i}`, generation: 1 },
    spec: {
      replicas: 5,
      template: { spec: { containers: [{ name: 'app', image: `registry.example/svc-${i}:v${step}` }] } },
      strategy: {
        canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: 30 } }] },
      },
    },
    status: {
      observedGeneration: '1',
      currentStepIndex: step,
      phase: step === 4 ? 'Healthy' : 'Paused',
      stableRS: 'a',
      currentPodHash: step === 4 ? 'a' : 'b',
    },
  };
}

const application = (i: number) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: `app-${i}`, namespace: 'argocd' },
  spec: {},
  status: { health: { status: 'Healthy' }, sync: { status: 'Synced', revision: 'f'.repeat(40) } },
});

const stores: DashboardStores = {
  rollouts: new ObjectStore(),
  applications: new ObjectStore(),
  replicaSets: new ObjectStore(),
  analysisRuns: new ObjectStore(),
};
for (let i = 0; i < n; i++) {
  stores.rollouts.upsert(rollout(i, 4) as never);
  stores.applications?.upsert(application(i) as never);
}
const allowAll: AccessReviewer = {
  authenticate: async (token) => (token ? { username: token } : undefined),
  can: async () => true,
};
const client = {} as never;
const api = new DashboardApi({
  stores,
  reviewer: allowAll,
  client,
  readOnly: true,
  now: () => Date.now(),
  logger: silentLogger(),
});
const before = rssMiB();
const server = await startDashboardServer({
  api,
  reviewer: allowAll,
  assets: { 'app.js': Buffer.alloc(0), 'app.css': Buffer.alloc(0) },
  mode: 'token',
  host: '127.0.0.1',
  logger: silentLogger(),
});

interface Viewer {
  readonly firstMs: number;
  /** Resolves at the next complete `view` event (the bench client does not parse it: the browser would). */
  next(): Promise<string>;
  close(): void;
}

async function open(i: number): Promise<Viewer> {
  const abort = new AbortController();
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${server.port}/api/stream?view=fleet`, {
    headers: { Authorization: `Bearer viewer-${i}` },
    signal: abort.signal,
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let parts: string[] = [];
  const pending: string[] = [];
  // our events are one `data:` line of JSON (no raw newlines), so "\n\n" only ends an event
  const next = async (): Promise<string> => {
    for (;;) {
      const ready = pending.shift();
      if (ready !== undefined) {
        if (ready.startsWith('event: view')) return ready;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      let rest = value;
      for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
        parts.push(rest.slice(0, end));
        pending.push(parts.join(''));
        parts = [];
        rest = rest.slice(end + 2);
      }
      if (rest !== '') parts.push(rest);
    }
  };
  const first = await next();
  const rows = (JSON.parse(first.slice(first.indexOf('data: ') + 6)) as { rows: unknown[] }).rows.length;
  if (rows !== 2 * n) throw new Error(`expected ${2 * n} rows, got ${rows}`);
  return { firstMs: performance.now() - started, next, close: () => abort.abort() };
}

const viewers: Viewer[] = [];
for (let i = 0; i < streams; i++) viewers.push(await open(i));
const viewBytes = JSON.stringify(
  (await api.fleet({ username: 'x' })).status === 200 ? await api.fleet({ username: 'x' }) : {},
).length;
const latencies: number[] = [];
for (let u = 0; u < updates; u++) {
  const i = (u * 37) % n;
  const started = performance.now();
  stores.rollouts.upsert(rollout(i, u % 2) as never);
  server.changed();
  await Promise.all(viewers.map((v) => v.next()));
  latencies.push(performance.now() - started);
}
const after = rssMiB();
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) =>
  sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const first = viewers.map((v) => v.firstMs);
const figures = {
  bench: 'dashboard',
  rollouts: n,
  applications: n,
  streams,
  firstRenderMsP50: Math.round(pct(first, 50)),
  firstRenderMsMax: Math.round(Math.max(...first)),
  updateMsP50: Math.round(pct(latencies, 50)),
  updateMsP95: Math.round(pct(latencies, 95)),
  fleetViewKiB: Math.round(viewBytes / 1024),
  extraRssMiB: Math.round(after - before),
};
console.log(`${n} Rollouts + ${n} Applications, ${streams} open Fleet streams`);
console.log(
  `first render (stream open → first view): p50 ${figures.firstRenderMsP50} ms, max ${figures.firstRenderMsMax} ms`,
);
console.log(
  `update (status change → all ${streams} streams have it, 200 ms throttle included): p50 ${figures.updateMsP50} ms, p95 ${figures.updateMsP95} ms`,
);
console.log(
  `fleet view ${figures.fleetViewKiB} KiB of JSON; extra RSS with ${streams} streams: ${figures.extraRssMiB} MiB${gc ? '' : ' (run with --expose-gc for a steadier figure)'}`,
);
console.log(JSON.stringify(figures));
for (const v of viewers) v.close();
await server.close();
