const NS = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 } as const;
const UNITS: ReadonlyMap<string, number> = new Map(Object.entries(NS));

/**
 * A Go `time.Duration`: a whole number of nanoseconds. Kept in a JS number, so it is exact up to about
 * 104 days; longer durations lose sub-microsecond precision.
 */
export class ExprDuration {
  readonly nanoseconds: number;

  constructor(nanoseconds: number) {
    this.nanoseconds = Math.trunc(nanoseconds);
  }

  toString(): string {
    return formatDuration(this.nanoseconds);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Methods callable as `d.Minutes()` in expressions. */
export const DURATION_METHODS: ReadonlyMap<string, (d: ExprDuration, args: readonly unknown[]) => unknown> =
  new Map<string, (d: ExprDuration, args: readonly unknown[]) => unknown>([
    ['Hours', (d) => d.nanoseconds / 3600e9],
    ['Minutes', (d) => d.nanoseconds / 60e9],
    ['Seconds', (d) => d.nanoseconds / 1e9],
    ['Milliseconds', (d) => Math.trunc(d.nanoseconds / 1e6)],
    ['Microseconds', (d) => Math.trunc(d.nanoseconds / 1e3)],
    ['Nanoseconds', (d) => d.nanoseconds],
    ['Abs', (d) => new ExprDuration(Math.abs(d.nanoseconds))],
    ['String', (d) => formatDuration(d.nanoseconds)],
  ]);

/** Parses Go duration syntax (`300ms`, `-1.5h`, `2h45m`); returns the reason on failure. */
export function parseDuration(text: string): ExprDuration | string {
  const invalid = `time: invalid duration ${JSON.stringify(text)}`;
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return new ExprDuration(0);
  if (rest === '') return invalid;
  let total = 0;
  while (rest !== '') {
    const match = /^([0-9]*)(\.([0-9]*))?/.exec(rest);
    const whole = match?.[1] ?? '';
    const fraction = match?.[3] ?? '';
    if (whole === '' && fraction === '') return invalid;
    rest = rest.slice(match?.[0].length ?? 0);
    const unitMatch = /^[^0-9.]+/.exec(rest);
    if (unitMatch === null) return `time: missing unit in duration ${JSON.stringify(text)}`;
    const unit = unitMatch[0];
    const scale = UNITS.get(unit);
    if (scale === undefined)
      return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`;
    rest = rest.slice(unit.length);
    total +=
      Number(whole === '' ? '0' : whole) * scale + (fraction === '' ? 0 : Number(`0.${fraction}`) * scale);
    if (total >= 2 ** 63) return invalid;
  }
  return new ExprDuration(negative ? -Math.round(total) : Math.round(total));
}

/** Formats like Go's Duration.String: `1h30m0s`, `1.5s`, `250ms`, `0s`. */
export function formatDuration(nanoseconds: number): string {
  if (nanoseconds === 0) return '0s';
  const sign = nanoseconds < 0 ? '-' : '';
  const abs = Math.abs(nanoseconds);
  if (abs < 1e9) {
    if (abs < 1e3) return `${sign}${abs}ns`;
    if (abs < 1e6) return `${sign}${decimal(abs, 3)}µs`;
    return `${sign}${decimal(abs, 6)}ms`;
  }
  const hours = Math.floor(abs / 3600e9);
  const minutes = Math.floor((abs % 3600e9) / 60e9);
  const seconds = decimal(abs % 60e9, 9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** `value / 10^digits` written without trailing zeros. */
function decimal(value: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(value / scale);
  const fraction = String(value % scale)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}
