// Runs `slipway controller` the way the image does (compiled dist/, plain Node) for a benchmark, and
// reads its /metrics so the bench can say where time went (reconciles, queue waits).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../src/dev/cluster/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface CompiledController {
  readonly child: ChildProcess;
  /** The controller's /metrics text. */
  scrape(): Promise<string>;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/** `npm run build` into dist/ (a few seconds). */
export function buildDist(): void {
  const r = spawnSync(
    process.execPath,
    [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** The V8 flags the image's ENTRYPOINT gives Node (deploy/Dockerfile), so the bench runs what ships. */
export function shippedNodeFlags(): string {
  const dockerfile = readFileSync(new URL('../deploy/Dockerfile', import.meta.url), 'utf8');
  const entry = /^ENTRYPOINT \[(.*)\]$/m.exec(dockerfile)?.[1] ?? '';
  const words = [...entry.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
  return words.filter((w) => w.startsWith('--')).join(' ');
}

export async function startCompiledController(
  kubeconfigPath: string,
  /** Watch one namespace (`--namespace`); undefined: the whole cluster. */
  namespace: string | undefined,
  controllers: readonly string[] = ['rollouts'],
  options: { readonly build?: boolean; readonly args?: readonly string[] } = {},
): Promise<CompiledController> {
  if (options.build ?? true) buildDist();
  const [port] = await freePorts(1);
  const entry = new URL('../dist/cli/main.js', import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_FLAGS ?? shippedNodeFlags()).split(' ').filter(Boolean),
      '--input-type=module',
      '-e',
      `const { main } = await import(${JSON.stringify(entry)}); process.exitCode = await main(process.argv.slice(1));`,
      'controller',
      `--controllers=${controllers.join(',')}`,
      ...(namespace !== undefined ? [`--namespace=${namespace}`] : []),
      `--kubeconfig=${kubeconfigPath}`,
      `--metrics-port=${port}`,
      `--log-level=${process.env.BENCH_LOG ?? 'warn'}`,
      ...(options.args ?? []),
      ...(process.env.BENCH_CONTROLLER_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`controller exited with ${child.exitCode}`);
    const ready = await fetch(url('/readyz')).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (i > 600) throw new Error('controller not ready after 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    scrape: () => fetch(url('/metrics')).then((r) => r.text()),
    stop: async () => {
      // SIGTERM first so flags like --cpu-prof can write their output on a clean exit
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Sums of a metric's samples whose labels contain `match`, keyed by the `le` bucket when present. */
function samples(text: string, name: string, match = ''): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || !line.includes(match)) continue;
    const m = /^(\S+?)(\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const le = /le="([^"]+)"/.exec(m[3] ?? '')?.[1] ?? '';
    out.set(le, (out.get(le) ?? 0) + Number(m[4]));
  }
  return out;
}

/** What the controller did between two scrapes: reconciles and queue-wait percentiles (bucket bounds). */
export function summarizeControllerWork(before: string, after: string, controller: string) {
  const diff = (name: string, match = '') => {
    const a = samples(before, name, match);
    const b = samples(after, name, match);
    return new Map([...b].map(([k, v]) => [k, v - (a.get(k) ?? 0)]));
  };
  const label = `controller="${controller}"`;
  const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  const reconciles = sum(diff('slipway_reconcile_total', label));
  const errors = sum(diff('slipway_reconcile_errors_total', label));
  const retries = sum(diff('slipway_workqueue_retries_total', label));
  const buckets = [...diff('slipway_workqueue_queue_duration_seconds_bucket', label)]
    .map(([le, count]) => ({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count }))
    .sort((x, y) => x.le - y.le);
  const total = buckets.at(-1)?.count ?? 0;
  const bound = (p: number) => buckets.find((b) => b.count >= total * p)?.le ?? Number.NaN;
  const mib = (name: string) => Math.round((samples(after, name).get('') ?? 0) / 1048576);
  return {
    reconciles,
    errors,
    retries,
    queueWaitP50AtMostS: bound(0.5),
    queueWaitP99AtMostS: bound(0.99),
    eventLoopLagP99Ms: Math.round(
      (samples(after, 'slipway_nodejs_eventloop_lag_p99_seconds').get('') ?? 0) * 1000,
    ),
    eventLoopLagMaxMs: Math.round(
      (samples(after, 'slipway_nodejs_eventloop_lag_max_seconds').get('') ?? 0) * 1000,
    ),
    reconcileDurationP99AtMostS: (() => {
      const b = [...diff('slipway_reconcile_duration_seconds_bucket', label)]
        .map(([le, count]) => ({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count }))
        .sort((x, y) => x.le - y.le);
      const all = b.at(-1)?.count ?? 0;
      return b.find((x) => x.count >= all * 0.99)?.le ?? Number.NaN;
    })(),
    heapUsedMiB: mib('slipway_nodejs_heap_size_used_bytes'),
    heapTotalMiB: mib('slipway_nodejs_heap_size_total_bytes'),
    externalMiB: mib('slipway_nodejs_external_memory_bytes'),
  };
}
