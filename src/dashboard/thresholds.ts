/**
 * Numeric thresholds read from an analysis metric's success or failure condition, for charts:
 * `result[0] >= 0.95` → {op: '>=', value: 0.95}. Only the simple comparisons of `result` (or
 * `result[0]`, `asFloat(result)`) with a number are read; anything else is not charted. Pure.
 */

export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  /** Which condition the line comes from. */
  readonly kind: 'success' | 'failure';
  /** Read as `measured <op> value`. */
  readonly op: ThresholdOperator;
  readonly value: number;
}

const RESULT = String.raw`(?:asFloat\(\s*result(?:\[0\])?\s*\)|result(?:\[0\])?)`;
const NUMBER = String.raw`(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)`;
const OP = '(<=|>=|==|!=|<|>)';
const RESULT_FIRST = new RegExp(String.raw`^\s*${RESULT}\s*${OP}\s*${NUMBER}\s*$`);
const NUMBER_FIRST = new RegExp(String.raw`^\s*${NUMBER}\s*${OP}\s*${RESULT}\s*$`);

const MIRRORED: Readonly<Record<ThresholdOperator, ThresholdOperator>> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '==': '==',
  '!=': '!=',
};

/** The thresholds of one condition: each `&&` / `||` part that compares result with a number. */
export function conditionThresholds(condition: string | undefined, kind: Threshold['kind']): Threshold[] {
  if (condition === undefined || condition.length > 1_000) return [];
  const out: Threshold[] = [];
  for (const part of condition.split(/&&|\|\||\band\b|\bor\b/)) {
    const text = part.trim().replace(/^\((.*)\)$/, '$1');
    const a = RESULT_FIRST.exec(text);
    if (a) {
      out.push({ kind, op: a[1] as ThresholdOperator, value: Number(a[2]) });
      continue;
    }
    const b = NUMBER_FIRST.exec(text);
    if (b) out.push({ kind, op: MIRRORED[b[2] as ThresholdOperator], value: Number(b[1]) });
  }
  return out;
}

/**
 * A measurement's value as a number: providers record `0.97`, `[0.97]` or `[0.97 0.5]` (a vector);
 * the first number is charted. Undefined for anything else.
 */
export function measuredNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*\[?\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|NaN|[+-]?Inf)/.exec(value);
  if (!m?.[1]) return undefined;
  const n = Number(m[1].replace('Inf', 'Infinity'));
  return Number.isFinite(n) ? n : undefined;
}
