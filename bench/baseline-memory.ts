// Baseline memory: what `slipway controller` costs before it holds anything. A local control plane with
// every CRD Slipway serves and no objects; for each controller set, the compiled controller (as the image
// runs it: dist/, plain Node, deploy/Dockerfile's V8 flags) is started and measured when it is ready and
// again after an idle wait: RSS, V8 heap used/total, external and arrayBuffers memory, CPU seconds, and
// the modules it loaded (counted in a second run of each set: the counting hook has a thread of its own).
// `node -e` with the same flags is the floor. Prints a table and a JSON line; asserts nothing.
//
//   npm run bench baseline-memory -- [--idle 30] [--rounds 1] [--sets rollouts,sync] [--no-census]
//
// Sets: node (the floor), rollouts, rollouts+analysis, sync, flux, default (no --controllers).
// BENCH_NODE_FLAGS replaces the image's V8 flags, as in bench/rollouts.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts, LocalCluster } from '../src/dev/cluster/index.js';
import { installFluxCrds } from '../src/dev/flux-crds/index.js';
import { installCrds } from '../src/install/index.js';
import { buildDist, shippedNodeFlags } from './compiled-controller.js';
import { numberOption } from './support/number-option.js';
import { cpuSeconds } from './support/process-usage.js';

const args = process.argv.slice(2);
const idleSeconds = numberOption('--idle', 30);
const rounds = numberOption('--rounds', 1);
const census = !args.includes('--no-census');
const SETS: Readonly<Record<string, readonly string[] | undefined>> = {
  node: undefined,
  rollouts: ['--controllers=rollouts'],
  'rollouts+analysis': ['--controllers=rollouts,analysis'],
  sync: ['--controllers=sync'],
  flux: ['--controllers=flux'],
  default: [],
};
const setsIndex = args.indexOf('--sets');
const setsOption =
  args.find((a) => a.startsWith('--sets='))?.slice('--sets='.length) ??
  (setsIndex >= 0 ? args[setsIndex + 1] : undefined);
const sets = setsOption?.split(',').filter(Boolean) ?? Object.keys(SETS);
for (const s of sets)
  if (!(s in SETS)) {
    process.stderr.write(`unknown set "${s}"; known: ${Object.keys(SETS).join(', ')}\n`);
    process.exit(2);
  }

const root = fileURLToPath(new URL('..', import.meta.url));
const probe = new URL('./support/memory-probe.mjs', import.meta.url).href;
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? shippedNodeFlags()).split(' ').filter(Boolean);
const log = (m: string) => process.stderr.write(`[baseline-memory] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = 1024 * 1024;

interface Sample {
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
  readonly cpuSeconds: number;
  readonly modules?: number;
  /** Modules by package (`slipway` for dist/), the largest first. */
  readonly modulesByPackage?: Readonly<Record<string, number>>;
}

interface ProbeRecord {
  readonly loaded?: boolean;
  readonly memory?: NodeJS.MemoryUsage;
  readonly modules?: readonly string[];
}

/** Which package a loaded module's URL belongs to. */
function packageOf(url: string): string {
  const path = decodeURIComponent(new URL(url).pathname);
  const i = path.lastIndexOf('/node_modules/');
  if (i < 0) return path.startsWith(join(root, 'dist')) ? 'slipway' : 'other';
  const [scope = '', name = ''] = path.slice(i + '/node_modules/'.length).split('/');
  return scope.startsWith('@') ? `${scope}/${name}` : scope;
}

/** A process started with the probe; `sample()` asks it for a record and waits for it. */
class Measured {
  private lines = 0;
  constructor(
    readonly child: ChildProcess,
    private readonly file: string,
  ) {}

  private records(): ProbeRecord[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ProbeRecord);
  }

  async loaded(): Promise<void> {
    for (let i = 0; i < 1200; i++) {
      if (this.child.exitCode !== null) throw new Error(`process exited with ${this.child.exitCode}`);
      const n = this.records().length;
      if (n > 0) {
        this.lines = n;
        return;
      }
      await sleep(50);
    }
    throw new Error('the memory probe did not load in 60 s');
  }

  async sample(): Promise<Sample> {
    const cpu = cpuSeconds(this.child.pid ?? 0);
    this.child.kill('SIGUSR2');
    for (let i = 0; i < 600; i++) {
      const records = this.records();
      if (records.length > this.lines) {
        this.lines = records.length;
        const r = records.at(-1) ?? {};
        const m = r.memory;
        if (m === undefined) throw new Error('the probe wrote no memory figures');
        const byPackage = new Map<string, number>();
        for (const url of r.modules ?? []) {
          const p = packageOf(url);
          byPackage.set(p, (byPackage.get(p) ?? 0) + 1);
        }
        const round = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
        return {
          rssMiB: round(m.rss),
          heapUsedMiB: round(m.heapUsed),
          heapTotalMiB: round(m.heapTotal),
          externalMiB: round(m.external),
          arrayBuffersMiB: round(m.arrayBuffers),
          cpuSeconds: cpu,
          ...(r.modules !== undefined && {
            modules: r.modules.length,
            modulesByPackage: Object.fromEntries([...byPackage].sort((a, b) => b[1] - a[1])),
          }),
        };
      }
      await sleep(50);
    }
    throw new Error('the memory probe did not answer in 30 s');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

async function start(set: string, kubeconfig: string, dir: string, withCensus: boolean): Promise<Measured> {
  const file = join(dir, `${set}-${withCensus ? 'census' : 'memory'}-${Date.now()}.jsonl`);
  const controllers = SETS[set];
  const [port] = await freePorts(1);
  const entry = new URL('../dist/cli/main.js', import.meta.url).href;
  const script =
    controllers === undefined
      ? 'setInterval(() => {}, 1 << 30);'
      : `const { main } = await import(${JSON.stringify(entry)}); process.exitCode = await main(process.argv.slice(1));`;
  const child = spawn(
    process.execPath,
    [
      ...nodeFlags,
      `--import=${probe}`,
      '--input-type=module',
      '-e',
      script,
      ...(controllers === undefined
        ? []
        : [
            'controller',
            ...controllers,
            `--kubeconfig=${kubeconfig}`,
            `--metrics-port=${port}`,
            '--log-level=warn',
          ]),
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        BENCH_PROBE_FILE: file,
        BENCH_PROBE_MODULES: withCensus ? '1' : '0',
        SLIPWAY_SYNC_DIR: join(dir, `sync-${set}-${Date.now()}`),
      },
    },
  );
  const measured = new Measured(child, file);
  await measured.loaded();
  if (controllers === undefined) return measured;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`controller (${set}) exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return measured;
    if (i > 1200) throw new Error(`controller (${set}) not ready after 120 s`);
    await sleep(100);
  }
}

interface SetResult {
  readonly set: string;
  readonly round: number;
  readonly startup: Sample;
  readonly idle: Sample;
  readonly modulesAtStartup?: number;
  readonly modulesAfterIdle?: number;
  readonly modulesByPackage?: Readonly<Record<string, number>>;
}

async function measureSet(set: string, round: number, kubeconfig: string, dir: string): Promise<SetResult> {
  log(`round ${round}: ${set}: memory`);
  const m = await start(set, kubeconfig, dir, false);
  let startup: Sample;
  let idle: Sample;
  try {
    startup = await m.sample();
    await sleep(idleSeconds * 1000);
    idle = await m.sample();
  } finally {
    await m.stop();
  }
  if (!census) return { set, round, startup, idle };
  log(`round ${round}: ${set}: module census`);
  const c = await start(set, kubeconfig, dir, true);
  try {
    const first = await c.sample();
    await sleep(idleSeconds * 1000);
    const last = await c.sample();
    return {
      set,
      round,
      startup,
      idle,
      ...(first.modules !== undefined && { modulesAtStartup: first.modules }),
      ...(last.modules !== undefined && { modulesAfterIdle: last.modules }),
      ...(last.modulesByPackage !== undefined && { modulesByPackage: last.modulesByPackage }),
    };
  } finally {
    await c.stop();
  }
}

function printTable(results: readonly SetResult[]): void {
  const header = ['set', 'round', 'when', 'RSS', 'heap used', 'heap total', 'external', 'arrayBuf', 'CPU s'];
  const rows = results.flatMap((r) =>
    (['startup', 'idle'] as const).map((when) => {
      const s = r[when];
      const modules = when === 'startup' ? r.modulesAtStartup : r.modulesAfterIdle;
      return [
        r.set,
        String(r.round),
        when === 'idle' ? `+${idleSeconds}s` : 'ready',
        s.rssMiB.toFixed(1),
        s.heapUsedMiB.toFixed(1),
        s.heapTotalMiB.toFixed(1),
        s.externalMiB.toFixed(1),
        s.arrayBuffersMiB.toFixed(1),
        s.cpuSeconds.toFixed(2),
        modules === undefined ? '' : String(modules),
      ];
    }),
  );
  const all = [[...header, 'modules'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  console.log(`\nbaseline memory (MiB), Node flags: ${nodeFlags.join(' ') || '(none)'}`);
  for (const r of all) console.log(r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  '));
  for (const r of results.filter((x) => x.round === 1 && x.modulesByPackage !== undefined)) {
    const top = Object.entries(r.modulesByPackage ?? {})
      .slice(0, 8)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ');
    console.log(`modules of ${r.set}: ${top}`);
  }
}

log(`building dist/; Node flags: ${nodeFlags.join(' ') || '(none)'}`);
buildDist();
const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-baseline-'));
log('starting a local control plane');
const cluster = await LocalCluster.start({ components: [] });
const client = cluster.client();
const results: SetResult[] = [];
try {
  await installCrds(client);
  if (sets.includes('flux')) await installFluxCrds(client);
  for (let round = 1; round <= rounds; round++)
    for (const set of sets) results.push(await measureSet(set, round, cluster.kubeconfigPath, dir));
} finally {
  client.close();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
printTable(results);
console.log(
  JSON.stringify({ bench: 'baseline-memory', nodeFlags: nodeFlags.join(' '), idleSeconds, results }),
);
process.exit(0);
