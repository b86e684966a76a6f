/** Go's `time.Parse(layout, value)` for the reference layouts time-layout.ts formats. Pure. */
import { utcEpochMs } from './calendar.js';
import { DAYS, MONTHS, nextChunk } from './time-layout.js';

/** A parsed instant: epoch milliseconds, sub-millisecond nanoseconds, and the zone found in the text. */
export interface ParsedTime {
  readonly epochMs: number;
  readonly subMsNanos: number;
  /** Seconds east of UTC, when the text had a numeric offset or a `Z`; undefined means "Local". */
  readonly offsetSec: number | undefined;
  /** A zone abbreviation the text carried (`MST` layouts), else ''. */
  readonly zone: string;
}

export type ParseTimeResult =
  | { readonly ok: true; readonly time: ParsedTime }
  | { readonly ok: false; readonly message: string };

const quote = (s: string): string => JSON.stringify(s);

class ParseFailure {
  constructor(readonly message: string) {}
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Go's getnum: one or two digits (exactly two when `fixed`). */
function getNum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s[0])) return undefined;
  if (!isDigit(s[1])) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function getNum3(s: string, fixed: boolean): [number, string] | undefined {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigit(s[i]); i++) n = n * 10 + Number(s[i]);
  if (i === 0 || (fixed && i !== 3)) return undefined;
  return [n, s.slice(i)];
}

const cutSpace = (s: string): string => s.replace(/^ +/, '');

/** Go's skip: matches the layout's literal text; runs of spaces match runs of spaces. */
function skip(value: string, prefix: string): string | undefined {
  let v = value;
  let p = prefix;
  while (p.length > 0) {
    if (p[0] === ' ') {
      if (v.length > 0 && v[0] !== ' ') return undefined;
      p = cutSpace(p);
      v = cutSpace(v);
      continue;
    }
    if (v.length === 0 || v[0] !== p[0]) return undefined;
    p = p.slice(1);
    v = v.slice(1);
  }
  return v;
}

function lookupName(
  table: readonly string[],
  s: string,
  len: number | undefined,
): [number, string] | undefined {
  for (let i = 0; i < table.length; i++) {
    const name = len === undefined ? (table[i] ?? '') : (table[i] ?? '').slice(0, len);
    if (s.length >= name.length && s.slice(0, name.length).toLowerCase() === name.toLowerCase()) {
      return [i, s.slice(name.length)];
    }
  }
  return undefined;
}

/** Go's parseTimeZone: the length of a zone abbreviation at the start of `s`, or 0. */
function zoneNameLength(s: string): number {
  if (s.length < 3) return 0;
  if (s.startsWith('ChST') || s.startsWith('MeST')) return 4;
  if (s.startsWith('GMT')) {
    const m = /^GMT([+-]\d{1,2})?/.exec(s);
    return m ? m[0].length : 3;
  }
  if (s[0] === '+' || s[0] === '-') {
    const m = /^[+-]\d{2}(\d{2})?/.exec(s);
    return m ? m[0].length : 0;
  }
  let n = 0;
  while (n < s.length && s[n] !== undefined && (s[n] as string) >= 'A' && (s[n] as string) <= 'Z') n++;
  if (n === 3 || n === 5 || (n === 4 && (s[3] === 'T' || s.startsWith('WITA')))) return n;
  return 0;
}

/** Parses `value` with Go reference `layout`; errors carry Go's messages. */
export function parseGoTime(layout: string, value: string): ParseTimeResult {
  try {
    return { ok: true, time: parse(layout, value) };
  } catch (err) {
    if (err instanceof ParseFailure) return { ok: false, message: err.message };
    throw err;
  }
}

function parse(layout: string, original: string): ParsedTime {
  let value = original;
  const bad = (valueElem: string, layoutElem: string): ParseFailure =>
    new ParseFailure(
      `parsing time ${quote(original)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`,
    );
  const range = (what: string): ParseFailure =>
    new ParseFailure(`parsing time ${quote(original)}: ${what} out of range`);
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let offset: number | undefined;
  let zoneName = '';
  let i = 0;
  for (;;) {
    const found = nextChunk(layout, i);
    const prefix = layout.slice(i, found ? found.at : layout.length);
    const skipped = skip(value, prefix);
    if (skipped === undefined) throw bad(value, prefix);
    value = skipped;
    if (!found) {
      if (value.length > 0) {
        throw new ParseFailure(`parsing time ${quote(original)}: extra text: ${quote(value)}`);
      }
      break;
    }
    const spec = layout.slice(found.at, found.at + found.len);
    i = found.at + found.len;
    const hold = value;
    const num = (fixed: boolean): number => {
      const r = getNum(value, fixed);
      if (!r) throw bad(hold, spec);
      value = r[1];
      return r[0];
    };
    switch (found.chunk) {
      case '2006': {
        if (value.length < 4 || ![0, 1, 2, 3].every((k) => isDigit(value[k]))) throw bad(hold, spec);
        year = Number(value.slice(0, 4));
        value = value.slice(4);
        break;
      }
      case '06': {
        if (value.length < 2 || !isDigit(value[0]) || !isDigit(value[1])) throw bad(hold, spec);
        const y = Number(value.slice(0, 2));
        year = y >= 69 ? 1900 + y : 2000 + y;
        value = value.slice(2);
        break;
      }
      case 'January':
      case 'Jan': {
        const r = lookupName(MONTHS, value, found.chunk === 'Jan' ? 3 : undefined);
        if (!r) throw bad(hold, spec);
        month = r[0] + 1;
        value = r[1];
        break;
      }
      case 'Monday':
      case 'Mon': {
        const r = lookupName(DAYS, value, found.chunk === 'Mon' ? 3 : undefined);
        if (!r) throw bad(hold, spec);
        value = r[1];
        break;
      }
      case '1':
      case '01':
        month = num(found.chunk === '01');
        if (month <= 0 || month > 12) throw range('month');
        break;
      case '2':
      case '_2':
      case '02':
        if (found.chunk === '_2' && value[0] === ' ') value = value.slice(1);
        day = num(found.chunk === '02');
        break;
      case '__2':
      case '002': {
        if (found.chunk === '__2') value = value.replace(/^ {1,2}/, '');
        const r = getNum3(value, found.chunk === '002');
        if (!r) throw bad(hold, spec);
        [yday, value] = r;
        if (yday < 1 || yday > 366) throw range('day-of-year');
        break;
      }
      case '15':
        hour = num(false);
        if (hour > 23) throw range('hour');
        break;
      case '3':
      case '03':
        hour = num(found.chunk === '03');
        if (hour > 12) throw range('hour');
        break;
      case '4':
      case '04':
        min = num(found.chunk === '04');
        if (min > 59) throw range('minute');
        break;
      case '5':
      case '05': {
        sec = num(found.chunk === '05');
        if (sec > 59) throw range('second');
        const next = nextChunk(layout, i);
        const m = /^[.,](\d+)/.exec(value);
        if (m && !(next && next.at === i && next.chunk === 'frac')) {
          nsec = Number((m[1] ?? '').slice(0, 9).padEnd(9, '0'));
          value = value.slice(m[0].length);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const p = value.slice(0, 2);
        const pm = found.chunk === 'PM' ? 'PM' : 'pm';
        const am = found.chunk === 'PM' ? 'AM' : 'am';
        if (p === pm) pmSet = true;
        else if (p === am) amSet = true;
        else throw bad(hold, spec);
        value = value.slice(2);
        break;
      }
      case 'zone': {
        if (spec.startsWith('Z') && value.startsWith('Z')) {
          value = value.slice(1);
          offset = 0;
          break;
        }
        const body = spec.replace(/^[Z-]/, '');
        const pattern =
          body === '07'
            ? /^([+-])(\d{2})/
            : body === '0700'
              ? /^([+-])(\d{2})(\d{2})/
              : body === '07:00'
                ? /^([+-])(\d{2}):(\d{2})/
                : body === '070000'
                  ? /^([+-])(\d{2})(\d{2})(\d{2})/
                  : /^([+-])(\d{2}):(\d{2}):(\d{2})/;
        const m = pattern.exec(value);
        if (!m) throw bad(hold, spec);
        const hh = Number(m[2]);
        const mm = Number(m[3] ?? 0);
        const ss = Number(m[4] ?? 0);
        if (hh > 24 || mm > 60 || ss > 60) throw range('time zone offset');
        offset = (m[1] === '-' ? -1 : 1) * (hh * 3600 + mm * 60 + ss);
        value = value.slice(m[0].length);
        break;
      }
      case 'MST': {
        if (value.startsWith('UTC')) {
          zoneName = 'UTC';
          offset ??= 0;
          value = value.slice(3);
          break;
        }
        const n = zoneNameLength(value);
        if (n === 0) throw bad(hold, spec);
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      case 'frac': {
        const digits = spec.length - 1;
        const sep = value[0];
        if (spec[1] === '9') {
          if (sep !== '.' && sep !== ',') break;
          const m = /^[.,](\d*)/.exec(value) ?? ['', ''];
          nsec = Number((m[1] ?? '').slice(0, 9).padEnd(9, '0'));
          value = value.slice(m[0].length);
          break;
        }
        if (value.length < digits + 1 || (sep !== '.' && sep !== ',')) throw bad(hold, spec);
        const frac = value.slice(1, digits + 1);
        if (!/^\d+$/.test(frac)) throw bad(hold, spec);
        nsec = Number(frac.slice(0, 9).padEnd(9, '0'));
        value = value.slice(digits + 1);
        break;
      }
    }
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (yday > (leap ? 366 : 365)) throw range('day-of-year');
    const d = new Date(0);
    d.setUTCFullYear(year, 0, yday);
    if (month >= 0 && d.getUTCMonth() + 1 !== month) throw range('day-of-year');
    if (day >= 0 && d.getUTCDate() !== day) throw range('day-of-year');
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  const utc = utcEpochMs([year, month, day, hour, min, sec]);
  if (utc === undefined) throw range('day');
  const nanos = nsec % 1_000_000;
  const epochMs = utc + Math.floor(nsec / 1_000_000) - (offset ?? 0) * 1000;
  return { epochMs, subMsNanos: nanos, offsetSec: offset, zone: zoneName };
}
