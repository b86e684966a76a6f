import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compile, ExprDuration, ExprError, ExprErrorCode, ExprTime } from '../../../src/expr/index.js';

/** One golden case: `expected` is the value, `error` the failure (exact `message` or a part of it). */
interface GoldenCase {
  readonly name: string;
  readonly expr: string;
  readonly env?: Record<string, unknown>;
  readonly now?: string;
  readonly options?: { readonly allowUndefinedVariables?: boolean; readonly budget?: number };
  readonly expected?: unknown;
  readonly error?: { readonly code: string; readonly message?: string; readonly includes?: string };
}

const goldenDir = fileURLToPath(new URL('../../golden/expr/', import.meta.url));
const DEFAULT_NOW = '2024-05-01T12:00:00Z';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Functions a fixture can place in its environment with `{"$fn": name}`. */
function hostFunction(name: unknown, now: Date): unknown {
  switch (name) {
    case 'now':
      return () => now;
    case 'parseTime':
      return (text: string) => new Date(text);
    case 'double':
      return (n: number) => n * 2;
    case 'throws':
      return () => {
        throw new Error('kaboom');
      };
    default:
      throw new Error(`fixture uses unknown $fn ${String(name)}`);
  }
}

/** Decodes fixture markers: `$num` (NaN, ±Inf), `$fn`, `$ownProto`, `$getter`, `$instance`. */
function decode(value: unknown, now: Date): unknown {
  if (Array.isArray(value)) return value.map((v) => decode(v, now));
  if (!isRecord(value)) return value;
  if ('$num' in value)
    return value.$num === 'NaN' ? Number.NaN : value.$num === '-Inf' ? -Infinity : Infinity;
  if ('$fn' in value) return hostFunction(value.$fn, now);
  if ('$ownProto' in value) return JSON.parse(`{"__proto__": ${JSON.stringify(value.$ownProto)}}`) as unknown;
  if ('$getter' in value) {
    const target = {};
    Object.defineProperty(target, String(value.$getter), { enumerable: true, get: () => 'leaked' });
    return target;
  }
  if ('$instance' in value) {
    class Opaque {}
    return Object.assign(new Opaque(), value.$instance);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v, now)]));
}

/** Makes results comparable with JSON fixtures. */
function normalize(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { $num: Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf' };
  }
  if (value instanceof ExprDuration) return { $duration: value.toString() };
  if (value instanceof ExprTime) return { $time: value.toJSON() };
  if (Array.isArray(value)) return value.map(normalize);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

const COMPILE_CODES: readonly string[] = [ExprErrorCode.syntax, ExprErrorCode.type];

function run(c: GoldenCase): void {
  const now = new Date(c.now ?? DEFAULT_NOW);
  const env = decode(c.env ?? {}, now) as Record<string, unknown>;
  let stage = 'compile';
  try {
    const program = compile(c.expr, c.options);
    stage = 'evaluate';
    const actual = program.evaluate(env, { now });
    if (c.error) assert.fail(`expected ${c.error.code} but got ${JSON.stringify(normalize(actual))}`);
    assert.deepStrictEqual(normalize(actual), c.expected === undefined ? null : c.expected);
  } catch (err) {
    if (!c.error || err instanceof assert.AssertionError) throw err;
    assert.ok(err instanceof ExprError, `expected an ExprError, got ${String(err)}`);
    assert.equal(err.code, c.error.code, err.message);
    // Syntax errors come from compile; type errors from compile, or from evaluate once the environment's
    // types are known (expr.Env(env) semantics); evaluation errors only from evaluate.
    if (err.code === ExprErrorCode.syntax) assert.equal(stage, 'compile', `${err.code} thrown at ${stage}`);
    if (stage === 'compile') assert.ok(COMPILE_CODES.includes(err.code), `${err.code} thrown at ${stage}`);
    if (c.error.message !== undefined) assert.equal(err.message, c.error.message);
    if (c.error.includes !== undefined) assert.ok(err.message.includes(c.error.includes), err.message);
  }
}

for (const file of readdirSync(goldenDir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const { cases } = JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as { cases: GoldenCase[] };
  describe(`expr golden ${file}`, () => {
    for (const c of cases) it(c.name, () => run(c));
  });
}
