// Fuzz bench for src/gotemplate: random and mutated templates are parsed and executed with small
// limits. Nothing may throw except Slipway's error classes, and no case should take over ~50 ms.
//   node --import tsx bench/gotemplate-fuzz.ts [--cases N] [--seed S]
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SlipwayError } from '../src/errors/index.js';
import { createTimeNamespace, GoDuration, parse, parseRfc3339 } from '../src/gotemplate/index.js';
import { seededChoices } from '../test/support/seeded-random.js';
import { numberOption } from './support/number-option.js';

const CASES = numberOption('--cases', 100_000);
const SEED = numberOption('--seed', 20240305);
const SLOW_MS = 50;
const LIMITS = { maxOutputBytes: 64 * 1024, maxSteps: 20_000, maxDepth: 20, maxNesting: 50 };
const NOW = new Date('2024-03-05T07:08:09.123Z');

const { random: rand, int, pick } = seededChoices(SEED);

const DATA = {
  app: {
    metadata: { name: 'guestbook', labels: { a: '1', b: '2' } },
    status: { conditions: [{ type: 'A', message: 'x' }, { type: 'B' }], health: { status: 'Degraded' } },
  },
  s: 'hello',
  n: 42,
  f: 1.5,
  b: true,
  z: 0,
  nil: null,
  list: [1, 'two', null, [3], { k: 'v' }],
  big: Array.from({ length: 200 }, (_, i) => i),
  m: { x: 1, y: 'y', z: null },
  t: parseRfc3339('2024-01-02T03:04:05.5Z'),
  d: new GoDuration(90e9),
  time: createTimeNamespace(() => NOW),
  fn: (x: unknown) => x,
  thrower: () => {
    throw new Error('boom');
  },
};

const FIELDS = [
  '.',
  '.s',
  '.n',
  '.f',
  '.b',
  '.z',
  '.nil',
  '.list',
  '.big',
  '.m',
  '.m.x',
  '.app.metadata.name',
  '.t',
  '.d',
  '.nope.deeper',
  '.app.status.conditions',
  '$',
  '$.m',
  '.time.Now',
  '.t.Format',
  '.d.Hours',
];
const LITERALS = [
  '1',
  '0',
  '-3',
  '2.5',
  '"x"',
  '`raw`',
  "'c'",
  'true',
  'false',
  '"2006-01-02"',
  '0x10',
  '1e3',
  '"%v-%d"',
];
const FUNCS = [
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'html',
  'js',
  'urlquery',
  'call',
  'add',
  'sub',
  'mul',
  'div',
  'mod',
  'default',
  'empty',
  'coalesce',
  'ternary',
  'upper',
  'lower',
  'title',
  'trim',
  'trimPrefix',
  'trimSuffix',
  'replace',
  'contains',
  'hasPrefix',
  'hasSuffix',
  'quote',
  'squote',
  'trunc',
  'substr',
  'repeat',
  'indent',
  'nindent',
  'join',
  'splitList',
  'list',
  'dict',
  'first',
  'last',
  'toJson',
  'toPrettyJson',
  'toString',
  'b64enc',
  'b64dec',
  'regexMatch',
  'regexReplaceAll',
  'now',
  'date',
  'time.Now',
];
const FRAGMENTS = [
  '{{',
  '}}',
  '{{-',
  '-}}',
  ' ',
  '(',
  ')',
  '|',
  '$x',
  '$x :=',
  '$i, $v :=',
  '=',
  'end',
  'else',
  'if',
  'range',
  'with',
  'define "t"',
  'template "t" .',
  'block "b" .',
  'break',
  'continue',
  '"',
  '`',
  '.',
  '/*',
  '*/',
  '\n',
  ',',
  ':',
  '%d',
  '%s',
  '%v',
];

function operand(depth: number): string {
  const r = rand();
  if (r < 0.35) return pick(FIELDS);
  if (r < 0.6) return pick(LITERALS);
  if (r < 0.7 || depth > 3) return '$x';
  return `(${pipeline(depth + 1)})`;
}

function command(depth: number, first: boolean): string {
  if (first && rand() < 0.4) return operand(depth);
  const args = Array.from({ length: int(4) }, () => operand(depth)).join(' ');
  return `${pick(FUNCS)} ${args}`;
}

function pipeline(depth: number): string {
  const cmds = Array.from({ length: 1 + int(3) }, (_, i) => command(depth, i === 0));
  return cmds.join(' | ');
}

function body(depth: number): string {
  let out = '';
  const n = 1 + int(4);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.25) out += pick(['text ', '\n', 'a-b ', '  ', '{']);
    else if (r < 0.55) out += `{{${rand() < 0.2 ? '- ' : ''}${pipeline(depth)}${rand() < 0.2 ? ' -' : ''}}}`;
    else if (r < 0.62) out += `{{$x := ${pipeline(depth)}}}`;
    else if (depth < 4 && r < 0.9) {
      const kw = pick(['if', 'with', 'range', 'range $i, $v :=', 'range $v :=']);
      const inner = kw.startsWith('range') && rand() < 0.3 ? '{{break}}' : '';
      const elseText = rand() < 0.4 ? `{{else}}${body(depth + 1)}` : '';
      out += `{{${kw} ${pipeline(depth)}}}${inner}${body(depth + 1)}${elseText}{{end}}`;
    } else if (r < 0.95) out += '{{/* c */}}';
    else out += `{{define "t"}}${body(depth + 1)}{{end}}{{template "t" ${operand(depth)}}}`;
  }
  return out;
}

function loadSeeds(): string[] {
  const dir = new URL('../test/golden/gotemplate/', import.meta.url);
  const seeds: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const cases = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { template: string }[];
    for (const c of cases) if (c.template.length < 2000) seeds.push(c.template);
  }
  return seeds;
}

function mutate(text: string): string {
  let s = text;
  const ops = 1 + int(4);
  for (let k = 0; k < ops; k++) {
    const at = int(s.length + 1);
    const r = rand();
    if (r < 0.35) s = s.slice(0, at) + pick(FRAGMENTS) + s.slice(at);
    else if (r < 0.6) s = s.slice(0, at) + s.slice(at + 1 + int(6));
    else if (r < 0.75) s = s.slice(0, at) + String.fromCharCode(int(128)) + s.slice(at);
    else if (r < 0.9) {
      const len = int(20);
      s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
    } else s = s.slice(0, at) + pick(FUNCS) + ' ' + s.slice(at);
  }
  return s;
}

const seeds = loadSeeds();
const counts = { ok: 0, parse: 0, exec: 0, limit: 0, other: 0 };
const failures: { template: string; error: string }[] = [];
const slow: { template: string; ms: number }[] = [];
const times: number[] = [];
const started = performance.now();

for (let i = 0; i < CASES; i++) {
  const r = rand();
  const generated = (): string => (rand() < 0.85 ? '{{$x := .m}}' : '') + body(0);
  const template = r < 0.5 ? generated() : r < 0.9 ? mutate(pick(seeds)) : mutate(generated());
  const t0 = performance.now();
  try {
    parse(`fuzz${i}`, template, LIMITS).execute(DATA, { now: NOW });
    counts.ok++;
  } catch (err) {
    if (!(err instanceof SlipwayError)) {
      counts.other++;
      if (failures.length < 20) failures.push({ template, error: String(err) });
    } else if (err.code === 'TEMPLATE_PARSE') counts.parse++;
    else if (err.code === 'TEMPLATE_LIMIT') counts.limit++;
    else counts.exec++;
  }
  const ms = performance.now() - t0;
  times.push(ms);
  if (ms > SLOW_MS && slow.length < 20) slow.push({ template, ms: Math.round(ms) });
}

const elapsedMs = performance.now() - started;
times.sort((a, b) => a - b);
const pct = (p: number): number =>
  Number((times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0).toFixed(3));
const summary = {
  bench: 'gotemplate-fuzz',
  cases: CASES,
  seed: SEED,
  ...counts,
  slowOver50ms: times.filter((t) => t > SLOW_MS).length,
  p50Ms: pct(0.5),
  p99Ms: pct(0.99),
  maxMs: Number((times[times.length - 1] ?? 0).toFixed(3)),
  totalSeconds: Number((elapsedMs / 1000).toFixed(2)),
  casesPerSecond: Math.round(CASES / (elapsedMs / 1000)),
};

console.log(
  `gotemplate fuzz: ${CASES} cases (seed ${SEED}) in ${summary.totalSeconds}s, ${summary.casesPerSecond}/s`,
);
console.log(
  `  outcomes: ok ${counts.ok}, parse errors ${counts.parse}, exec errors ${counts.exec}, limit errors ${counts.limit}`,
);
console.log(`  non-Slipway throws: ${counts.other}`);
console.log(
  `  latency: p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, max ${summary.maxMs} ms, over ${SLOW_MS} ms: ${summary.slowOver50ms}`,
);
for (const f of failures) console.log(`  FAIL ${JSON.stringify(f.template)}: ${f.error}`);
for (const s of slow) console.log(`  SLOW ${s.ms} ms ${JSON.stringify(s.template.slice(0, 300))}`);
console.log(JSON.stringify(summary));
if (counts.other > 0) process.exitCode = 1;
