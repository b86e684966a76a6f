/**
 * Formats a float like Go's `strconv.FormatFloat(f, 'f', -1, 64)` (how Prometheus sample values print in
 * Argo's measurement values): shortest round-trip digits, never an exponent; `+Inf`, `-Inf`, `NaN`.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = `${lead}${fraction}`;
  const exponent = Number(exponentText);
  if (exponent >= 0) {
    const whole = digits.padEnd(exponent + 1, '0');
    const point = exponent + 1;
    const rest = whole.slice(point);
    return `${sign}${whole.slice(0, point)}${rest === '' ? '' : `.${rest}`}`;
  }
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

/** Parses a Prometheus sample value string (`"0.5"`, `"+Inf"`, `"NaN"`). */
export function parsePromFloat(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return Number.NaN;
  return Number(text);
}
