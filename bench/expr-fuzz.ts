// Fuzzes src/expr: random token soup plus mutations of the golden expressions. Every case is compiled and
// evaluated with a small budget; anything thrown that is not an ExprError, or any case slower than the
// limit, is a finding. Prints figures and one final JSON line.
//
//   node --import tsx bench/expr-fuzz.ts [--cases N] [--seed S]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { compile, ExprError } from '../src/expr/index.js';
import { seededChoices } from '../test/support/seeded-random.js';
import { numberOption } from './support/number-option.js';

const totalCases = numberOption('--cases', 100_000);
const seed = numberOption('--seed', 20240501) >>> 0;
const CASE_LIMIT_MS = 50;
const BUDGET = 2_000;

const { random, pick } = seededChoices(seed);

const goldenDir = fileURLToPath(new URL('../test/golden/expr/', import.meta.url));
const seeds: string[] = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.json'))
  .flatMap(
    (f) => (JSON.parse(readFileSync(join(goldenDir, f), 'utf8')) as { cases: { expr: string }[] }).cases,
  )
  .map((c) => c.expr)
  .filter((e) => e.length < 500);

const TOKENS = [
  ...'()[]{}.,:?#|+-*/%^<>!='.split(''),
  ...['**', '??', '?.', '..', '==', '!=', '<=', '>=', '&&', '||', 'and', 'or', 'not', 'in', 'not in'],
  ...['matches', 'contains', 'startsWith', 'endsWith', 'let', ';', 'nil', 'true', 'false'],
  ...['0', '1', '-1', '2.5', '1e3', '0x1F', '1_000', '"a"', "'b'", '`c`', '"(a+)+$"', '"\\u00e9"', '/*c*/'],
  ...['result', 'a', 'x', 'xs', 'app', '$env', '__proto__', 'constructor', 'prototype', 'toString', 'f'],
  ...['len', 'all', 'any', 'filter', 'map', 'count', 'reduce', 'abs', 'max', 'now', 'duration', 'int'],
  ...['string', 'split', 'join', 'keys', 'asInt', 'asFloat', 'isNaN', 'default', 'repeat', 'toJSON', 'date'],
];

function tokenSoup(): string {
  const n = 1 + Math.floor(random() * 16);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(pick(TOKENS));
  return parts.join(random() < 0.7 ? ' ' : '');
}

/** Deep nesting and long chains that must stop at the depth limits, not at the JS stack. */
function pathological(): string {
  const n = 1 + Math.floor(random() * 5000);
  switch (Math.floor(random() * 6)) {
    case 0:
      return `${'('.repeat(n)}1${')'.repeat(n)}`;
    case 1:
      return `${'-'.repeat(n)}1`;
    case 2:
      return `a${'.b'.repeat(n)}`;
    case 3:
      return `${'['.repeat(n)}${']'.repeat(n)}`;
    case 4:
      return `${'1 + '.repeat(n)}1`;
    default:
      return `${'x ?? '.repeat(n)}1`;
  }
}

function mutate(source: string): string {
  let text = source;
  const rounds = 1 + Math.floor(random() * 3);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(random() * (text.length + 1));
    const kind = random();
    if (kind < 0.3) text = text.slice(0, at) + pick(TOKENS) + text.slice(at);
    else if (kind < 0.55) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
    else if (kind < 0.7) text = `${text.slice(0, at)} ${pick(TOKENS)} ${text.slice(at)}`;
    else if (kind < 0.85)
      text = `(${text})${pick([' + ', ' && ', ' ?? ', ' | ', '[0]', '.x', ' in ', '..'])}${pick(seeds)}`;
    else text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + text.slice(at);
  }
  return text;
}

const env: Record<string, unknown> = {
  result: [0.5, 1.5, Number.NaN],
  a: { b: { c: 1 }, list: [1, 2, 3] },
  x: 7,
  xs: [
    { v: 1, name: 'a' },
    { v: 2, name: 'b' },
  ],
  app: { status: { health: { status: 'Healthy' }, operationState: { phase: 'Succeeded' } } },
  f: (n: unknown) => (typeof n === 'number' ? n * 2 : null),
  time: { Now: () => new Date('2024-05-01T12:00:00Z'), Parse: (s: string) => new Date(s) },
};

const outcomes = { value: 0, EXPR_SYNTAX: 0, EXPR_TYPE: 0, EXPR_EVAL: 0, EXPR_BUDGET: 0 };
const findings: { source: string; problem: string }[] = [];
let maxMs = 0;
let slowest = '';
const now = new Date('2024-05-01T12:00:00Z');
const started = performance.now();

for (let i = 0; i < totalCases; i++) {
  const roll = random();
  const source = roll < 0.02 ? pathological() : roll < 0.37 ? tokenSoup() : mutate(pick(seeds));
  const t0 = performance.now();
  try {
    compile(source, { budget: BUDGET, allowUndefinedVariables: random() < 0.5 }).evaluate(env, { now });
    outcomes.value++;
  } catch (err) {
    if (err instanceof ExprError && err.code in outcomes) outcomes[err.code]++;
    else
      findings.push({
        source,
        problem: `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
      });
  }
  const ms = performance.now() - t0;
  if (ms > maxMs) [maxMs, slowest] = [ms, source];
  if (ms > CASE_LIMIT_MS) findings.push({ source, problem: `took ${ms.toFixed(1)} ms` });
}

const seconds = (performance.now() - started) / 1000;
const summary = {
  bench: 'expr-fuzz',
  cases: totalCases,
  seconds: Number(seconds.toFixed(2)),
  casesPerSecond: Math.round(totalCases / seconds),
  outcomes,
  maxMs: Number(maxMs.toFixed(2)),
  findings: findings.length,
};
console.log(`expr fuzz: ${totalCases} cases in ${summary.seconds}s (${summary.casesPerSecond} cases/s)`);
console.log(`outcomes: ${JSON.stringify(outcomes)}`);
console.log(`slowest case: ${summary.maxMs} ms: ${JSON.stringify(slowest.slice(0, 120))}`);
for (const f of findings.slice(0, 20))
  console.log(`finding: ${f.problem}: ${JSON.stringify(f.source.slice(0, 200))}`);
console.log(JSON.stringify(summary));
if (findings.length > 0) process.exitCode = 1;
