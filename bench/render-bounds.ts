// Peak RSS of the controller's render path fed oversized repository content: a 50 MB manifest
// file, 50 MB of kustomize output and 50 MB of helm output (each must be refused), plus the largest
// renders the default limits accept. Each case runs in its own Node process with the image's heap
// flags, so its peak (getrusage maxrss) is its own. Prints MiB per case and one JSON line.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  realpathSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DefaultRenderLimits, ensureRenderTools, renderSource, SymlinkAudit } from '../src/sync/index.js';

const MiB = 1024 * 1024;
const cases = [
  'file-50MB',
  'kustomize-50MB',
  'helm-50MB',
  'directory-at-limit',
  'quoted-string-at-file-limit',
] as const;
type Case = (typeof cases)[number];

function writeBig(path: string, head: string, bytes: number, unit: string, tail: string): void {
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  const chunk = unit.repeat(Math.ceil(MiB / unit.length));
  for (let n = 0; n < bytes; n += chunk.length) writeSync(fd, chunk);
  writeSync(fd, tail);
  closeSync(fd);
}

const smallDocs = (n: number, offset = 0) =>
  Array.from(
    { length: n },
    (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${offset + i}}\ndata: {k: v}\n`,
  ).join('');

/** Lays out one case's checkout and returns the Application source for it. */
function layout(tree: string, c: Case): Record<string, unknown> {
  const dir = join(tree, 'app');
  mkdirSync(dir, { recursive: true });
  switch (c) {
    case 'file-50MB':
      writeBig(
        join(dir, 'huge.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: h}\ndata:\n  k: "',
        50 * MiB,
        'x',
        '"\n',
      );
      return { path: 'app' };
    case 'kustomize-50MB':
      writeBig(
        join(dir, 'big.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: |\n',
        50 * MiB,
        '    0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
        '',
      );
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [big.yaml]\n');
      return { path: 'app' };
    case 'helm-50MB':
      writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: big\nversion: 1.0.0\n');
      mkdirSync(join(dir, 'templates'));
      writeBig(
        join(dir, 'big.txt'),
        '',
        50 * MiB,
        '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
        '',
      );
      writeFileSync(
        join(dir, 'templates', 'cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: {{ .Files.Get "big.txt" | quote }}\n',
      );
      return { path: 'app' };
    case 'directory-at-limit': {
      // Two files just under the per-file limit, together just under the render limit.
      const perFile = Math.floor(DefaultRenderLimits.maxRenderBytes / 2) - 4096;
      for (const [k, f] of ['a', 'b'].entries()) {
        const parts: string[] = [];
        let size = 0;
        for (let i = k * 1_000_000; ; i++) {
          const doc = smallDocs(1, i);
          if (size + doc.length > perFile) break;
          parts.push(doc);
          size += doc.length;
        }
        writeFileSync(join(dir, `${f}.yaml`), parts.join(''));
      }
      return { path: 'app' };
    }
    case 'quoted-string-at-file-limit':
      writeBig(
        join(dir, 'quoted.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: q}\ndata:\n  k: "',
        DefaultRenderLimits.maxFileBytes - 2 * MiB,
        'x',
        '"\n',
      );
      return { path: 'app' };
  }
}

async function runCase(c: Case): Promise<void> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-bench-bounds-')));
  const tree = join(root, 'tree');
  const source = layout(tree, c);
  const baseline = process.memoryUsage().rss;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = Date.now();
  let outcome: string;
  try {
    const r = await renderSource({
      checkoutDir: tree,
      source: { repoURL: 'file:///bench', ...source },
      appName: 'bench',
      namespace: 'bench',
      helmHome: join(root, 'helm'),
      symlinks: new SymlinkAudit(),
    });
    outcome = `rendered ${r.objects.length} objects`;
  } catch (err) {
    outcome = `refused: ${(err as Error).message.slice(0, 110)}`;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  loop.disable();
  const peak = process.resourceUsage().maxRSS * 1024;
  const maxStallMs = loop.max / 1e6;
  console.log(
    JSON.stringify({
      case: c,
      baselineMiB: baseline / MiB,
      peakMiB: peak / MiB,
      seconds: (Date.now() - started) / 1000,
      maxStallMs,
      outcome,
    }),
  );
}

const self = fileURLToPath(import.meta.url);
const only = process.argv.indexOf('--case');
if (only >= 0) {
  await runCase(process.argv[only + 1] as Case);
} else {
  await ensureRenderTools();
  const results: Record<string, unknown>[] = [];
  for (const c of cases) {
    const r = spawnSync(
      process.execPath,
      ['--max-semi-space-size=4', '--heap-growing-percent=50', '--import', 'tsx', self, '--case', c],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = r.stdout.trim().split('\n').pop() ?? '{}';
    const res = JSON.parse(line) as {
      peakMiB: number;
      baselineMiB: number;
      seconds: number;
      maxStallMs: number;
      outcome: string;
    };
    results.push(res);
    console.log(
      `${c.padEnd(28)} peak RSS ${res.peakMiB.toFixed(0).padStart(4)} MiB (baseline ${res.baselineMiB.toFixed(0)} MiB) ${res.seconds.toFixed(1)} s, longest event-loop stall ${res.maxStallMs.toFixed(0)} ms  ${res.outcome}`,
    );
  }
  console.log(JSON.stringify({ bench: 'render-bounds', limits: DefaultRenderLimits, results }));
}
