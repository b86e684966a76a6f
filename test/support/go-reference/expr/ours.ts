import { evaluateMetricResult } from '../../../../src/analysis/evaluate.js';
import { compile, ExprError, formatInt, GoFloat } from '../../../../src/expr/index.js';
import type { ReferenceAnswer, ReferenceCase } from './reference.js';

const NOW = new Date('2024-05-01T12:00:00Z');

/** A case's result as Slipway receives it: {"$f": …} markers become NaN, ±Inf and -0. */
export function decodeResult(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeResult);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$f === 'string' && Object.keys(record).length === 1) {
    return { NaN: Number.NaN, '+Inf': Infinity, '-Inf': -Infinity, '-0': -0 }[record.$f];
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeResult(v)]));
}

function tagFloat(n: number): unknown {
  if (Number.isNaN(n)) return { float: 'NaN' };
  if (n === Infinity) return { float: '+Inf' };
  if (n === -Infinity) return { float: '-Inf' };
  if (Object.is(n, -0)) return { float: '-0' };
  return { float: n };
}

/** Our value in the reference's tagged form (main.go's `tag`). */
export function tagValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof GoFloat) return tagFloat(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? { int: formatInt(value) } : tagFloat(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(tagValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return { map: Object.fromEntries(entries.map(([k, v]) => [k, tagValue(v)])) };
  }
  return { other: typeof value };
}

/** What Slipway makes of a case, in the reference's answer shape. */
export function answerOurs(c: ReferenceCase): ReferenceAnswer {
  if (c.mode === 'expr') {
    try {
      const value = compile(c.expr).evaluate({}, { now: NOW, keepNumberKinds: true });
      return { ok: true, value: tagValue(value) };
    } catch (err) {
      if (!(err instanceof ExprError)) return { ok: false, error: `CRASH ${String(err)}` };
      return { ok: false, error: err.message };
    }
  }
  try {
    const verdict = evaluateMetricResult(
      { successCondition: c.success, failureCondition: c.failure },
      decodeResult(c.result),
      { now: NOW },
    );
    return {
      ok: verdict.phase !== 'Error',
      phase: verdict.phase,
      ...(verdict.message ? { error: verdict.message } : {}),
    };
  } catch (err) {
    return { ok: false, phase: 'CRASH', error: String(err) };
  }
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether two answers agree on phase, value and error-or-not (messages are compared separately). */
export function agree(ours: ReferenceAnswer, theirs: ReferenceAnswer): boolean {
  if (ours.ok !== theirs.ok) return false;
  if ((ours.phase ?? '') !== (theirs.phase ?? '')) return false;
  return !ours.ok || sameJson(ours.value ?? null, theirs.value ?? null);
}
