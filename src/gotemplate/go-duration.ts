import { formatGoDuration, parseGoDuration as parseGoDurationText } from '../go/index.js';
import { FuncError } from './errors.js';

const NS_PER_US = 1e3;
const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;
const NS_PER_MIN = 60e9;
const NS_PER_HOUR = 3600e9;

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
    return formatGoDuration(this.ns);
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

/** Parses Go duration strings such as `300ms`, `-1.5h` or `2h45m`; throws Go's error text. */
export function parseGoDuration(text: string): GoDuration {
  const parsed = parseGoDurationText(text);
  if (!parsed.ok) throw new FuncError(parsed.message);
  return new GoDuration(Number(parsed.nanos));
}
