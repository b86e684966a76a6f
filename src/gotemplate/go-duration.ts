import { FuncError } from './errors.js';

const NS_PER_US = 1e3;
const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;
const NS_PER_MIN = 60e9;
const NS_PER_HOUR = 3600e9;

/** Writes `v / 10^prec` as Go's fmtFrac does: fraction digits without trailing zeros. */
function splitFraction(v: number, prec: number): { int: number; frac: string } {
  const scale = 10 ** prec;
  const int = Math.floor(v / scale);
  const rest = v - int * scale;
  if (rest === 0) return { int, frac: '' };
  const digits = String(rest).padStart(prec, '0').replace(/0+$/, '');
  return { int, frac: '.' + digits };
}

/** A Go `time.Duration`: a signed count of nanoseconds, printed like `1h2m3.5s`. */
export class GoDuration {
  readonly ns: number;

  constructor(ns: number) {
    this.ns = Math.trunc(ns);
  }

  Hours(): number {
    return this.ns / NS_PER_HOUR;
  }

  Minutes(): number {
    return this.ns / NS_PER_MIN;
  }

  Seconds(): number {
    return this.ns / NS_PER_S;
  }

  Milliseconds(): number {
    return Math.trunc(this.ns / NS_PER_MS);
  }

  Microseconds(): number {
    return Math.trunc(this.ns / NS_PER_US);
  }

  Nanoseconds(): number {
    return this.ns;
  }

  Abs(): GoDuration {
    return new GoDuration(Math.abs(this.ns));
  }

  /** Rounds toward zero to a multiple of `m` (a GoDuration or a count of nanoseconds). */
  Truncate(m: unknown): GoDuration {
    const unit = toDurationNs(m, 'Truncate');
    return unit <= 0 ? this : new GoDuration(this.ns - (this.ns % unit));
  }

  /** Rounds half away from zero to a multiple of `m`. */
  Round(m: unknown): GoDuration {
    const unit = toDurationNs(m, 'Round');
    if (unit <= 0) return this;
    const sign = this.ns < 0 ? -1 : 1;
    const abs = Math.abs(this.ns);
    const down = abs - (abs % unit);
    return new GoDuration(sign * (abs % unit) * 2 >= unit ? sign * (down + unit) : sign * down);
  }

  String(): string {
    const neg = this.ns < 0;
    const u = Math.abs(this.ns);
    let out: string;
    if (u < NS_PER_S) {
      if (u === 0) return '0s';
      const [prec, unit] = u < NS_PER_US ? [0, 'ns'] : u < NS_PER_MS ? [3, 'µs'] : [6, 'ms'];
      const { int, frac } = splitFraction(u, prec);
      out = `${int}${frac}${unit}`;
    } else {
      const { int: secs, frac } = splitFraction(u, 9);
      out = `${secs % 60}${frac}s`;
      const mins = Math.floor(secs / 60);
      if (mins > 0) {
        out = `${mins % 60}m${out}`;
        const hours = Math.floor(mins / 60);
        if (hours > 0) out = `${hours}h${out}`;
      }
    }
    return neg ? `-${out}` : out;
  }

  toString(): string {
    return this.String();
  }

  /** Go's encoding/json writes a Duration as its integer nanosecond count. */
  toJSON(): number {
    return this.ns;
  }
}

/** Accepts a GoDuration or an integer nanosecond count, as Go's untyped constants allow. */
export function toDurationNs(v: unknown, method: string): number {
  if (v instanceof GoDuration) return v.ns;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new FuncError(`${method}: expected time.Duration`);
}

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: NS_PER_US,
  µs: NS_PER_US,
  μs: NS_PER_US,
  ms: NS_PER_MS,
  s: NS_PER_S,
  m: NS_PER_MIN,
  h: NS_PER_HOUR,
};

/** Parses Go duration strings such as `300ms`, `-1.5h` or `2h45m`. */
export function parseGoDuration(text: string): GoDuration {
  const bad = (): FuncError => new FuncError(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return new GoDuration(0);
  if (s === '') throw bad();
  let total = 0;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m) throw bad();
    total += Number(m[1]) * (UNIT_NS[m[2] ?? ''] ?? 0);
    s = s.slice(m[0].length);
  }
  return new GoDuration(sign * Math.round(total));
}
