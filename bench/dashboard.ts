// The dashboard's server side at fleet scale, in process (no cluster, RBAC answered by a stub that
// allows everything, as cached SubjectAccessReviews do): N Rollouts + N Applications in the stores, S
// open Fleet streams. Prints the first render per stream, the update latency (a Rollout's status
// changes → every stream has the new view), the view's size and the extra RSS of S open dashboards.
// Nothing asserts on time.
import { loadavg } from 'node:os';
import {
  type AccessReviewer,
  DashboardApi,
  type DashboardStores,
  startDashboardServer,
} from '../src/dashboard/index.js';
import { type KubeObject, ObjectStore } from '../src/kube/index.js';
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
    metadata: {
      name: `svc-${i}`,
      namespace: ns,
      uid: `u-${i}`,
      generation: 1,
      annotations: { 'notifications.argoproj.io/subscribe.slack': `team-${i % 50}` },
    },
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

const notificationConfig = new ObjectStore<KubeObject & { data?: Record<string, string> }>();
notificationConfig.upsert({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argo-rollouts-notification-configmap', namespace: 'argo-rollouts' },
  data: {
    'service.slack': 'token: $slack-token',
    'trigger.on-rollout-completed': '- when: rollout.status.phase == "Healthy"\n  send: [done]\n',
    'template.done': 'message: done\n',
    defaultTriggers: '- on-rollout-completed\n',
  },
});
const stores: DashboardStores = {
  rollouts: new ObjectStore(),
  applications: new ObjectStore(),
  replicaSets: new ObjectStore(),
  analysisRuns: new ObjectStore(),
  notificationConfigs: [
    {
      namespace: 'argo-rollouts',
      name: 'argo-rollouts-notification-configmap',
      kinds: ['Rollout'],
      store: notificationConfig,
    },
  ],
  notificationFailures: new ObjectStore(),
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

async function open(i: number, view = 'fleet'): Promise<Viewer> {
  const abort = new AbortController();
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${server.port}/api/stream?view=${view}`, {
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
  const body = JSON.parse(first.slice(first.indexOf('data: ') + 6)) as {
    rows?: unknown[];
    objects?: unknown[];
  };
  const rows = (view === 'fleet' ? body.rows : body.objects)?.length ?? 0;
  const expected = view === 'fleet' ? 2 * n : Math.min(n, 500);
  if (rows !== expected) throw new Error(`expected ${expected} rows in ${view}, got ${rows}`);
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
for (const v of viewers) v.close();

// the Notifications page (subscriptions of every Rollout resolved per render) with as many streams
const notificationViewers: Viewer[] = [];
for (let i = 0; i < streams; i++) notificationViewers.push(await open(i, 'notifications'));
const notificationLatencies: number[] = [];
for (let u = 0; u < updates; u++) {
  const started = performance.now();
  // a delivery recorded on one Rollout: the page shows it
  const r = rollout((u * 50) % n, 4); // namespace team-0: among the 500 shown
  const key = `on-rollout-completed:[0].${'h'.repeat(27)}:slack:team-${u}`;
  stores.rollouts.upsert({
    ...r,
    metadata: {
      ...r.metadata,
      annotations: {
        ...r.metadata.annotations,
        'notified.notifications.argoproj.io': JSON.stringify({ [key]: 1_800_000_000 + u }),
      },
    },
  } as never);
  server.changed();
  await Promise.all(notificationViewers.map((v) => v.next()));
  notificationLatencies.push(performance.now() - started);
}
for (const v of notificationViewers) v.close();
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
  notificationsFirstMsP50: Math.round(
    pct(
      notificationViewers.map((v) => v.firstMs),
      50,
    ),
  ),
  notificationsUpdateMsP50: Math.round(pct(notificationLatencies, 50)),
  notificationsUpdateMsP95: Math.round(pct(notificationLatencies, 95)),
  loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
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
console.log(
  `notifications page (${n} subscribed Rollouts, 500 shown): first render p50 ${figures.notificationsFirstMsP50} ms; update p50 ${figures.notificationsUpdateMsP50} ms, p95 ${figures.notificationsUpdateMsP95} ms`,
);
console.log(`load average (1 min) at the end: ${figures.loadAverage1m}`);
console.log(JSON.stringify(figures));
await server.close();
