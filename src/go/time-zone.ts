import { readFileSync } from 'node:fs';

/**
 * Go's time.LoadLocation for IANA names: the offset at an instant comes from the runtime's ICU data;
 * the abbreviation from the system's tzdata (/usr/share/zoneinfo, where Go reads it too) when
 * present, else from ICU's English names, else the numeric form tzdata uses for zones without one
 * (`+03`, `+0530`).
 */
export interface ZoneAt {
  readonly offsetSec: number;
  readonly abbrev: string;
}

const formatters = new Map<string, Intl.DateTimeFormat | undefined>();
const MAX_CACHED = 64;

function formatter(
  zone: string,
  locale: string,
  style: 'short' | 'longOffset',
): Intl.DateTimeFormat | undefined {
  const key = `${zone}|${locale}|${style}`;
  if (formatters.has(key)) return formatters.get(key);
  let f: Intl.DateTimeFormat | undefined;
  try {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style });
  } catch {
    f = undefined;
  }
  if (formatters.size >= MAX_CACHED) formatters.clear();
  formatters.set(key, f);
  return f;
}

const zonePart = (f: Intl.DateTimeFormat, epochMs: number): string =>
  f.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? '';

/** True when `zone` names a location Go's LoadLocation would find (UTC, Local or an IANA name). */
export function isKnownZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  if (zone.includes('..') || zone.startsWith('/')) return false;
  return formatter(zone, 'en-US', 'longOffset') !== undefined;
}

/** Offset and abbreviation of IANA `zone` at `epochMs`; undefined when the zone is unknown. */
export function zoneAt(zone: string, epochMs: number): ZoneAt | undefined {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return { offsetSec: 0, abbrev: 'UTC' };
  const long = formatter(zone, 'en-US', 'longOffset');
  if (long === undefined) return undefined;
  const m = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(zonePart(long, epochMs));
  const sign = m?.[1] === '-' ? -1 : 1;
  const offsetSec = m?.[1] ? sign * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) : 0;
  const fromTzdata = tzdataAt(zone, epochMs, offsetSec);
  if (fromTzdata !== undefined) return fromTzdata;
  for (const locale of ['en-US', 'en-GB']) {
    const f = formatter(zone, locale, 'short');
    const name = f ? zonePart(f, epochMs) : '';
    if (/^[A-Z]{2,5}$/.test(name) && name !== 'GMT') return { offsetSec, abbrev: name };
    if (name === 'GMT' && offsetSec === 0) return { offsetSec, abbrev: 'GMT' };
  }
  return { offsetSec, abbrev: numericAbbrev(offsetSec) };
}

function numericAbbrev(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = Math.floor(abs / 60) % 60;
  return mm === 0 ? `${sign}${hh}` : `${sign}${hh}${String(mm).padStart(2, '0')}`;
}

const ZONEINFO = '/usr/share/zoneinfo/';
const MAX_TZIF_BYTES = 1 << 20;
const tzif = new Map<string, Tzif | null>();

interface Tzif {
  readonly times: readonly number[];
  readonly types: readonly number[];
  readonly infos: readonly { readonly utoff: number; readonly isDst: boolean; readonly abbrev: string }[];
  /** The footer's standard and daylight names with their offsets (seconds east of UTC). */
  readonly rule: readonly { readonly name: string; readonly utoff: number }[];
}

/** Parses a TZif file (version 2 or later: the 64-bit block and the POSIX TZ footer). */
function parseTzif(b: Buffer): Tzif | null {
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif' || b[4] === 0) return null;
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((k) => b.readUInt32BE(at + 20 + k * 4));
  const [isut1 = 0, isstd1 = 0, leap1 = 0, time1 = 0, type1 = 0, char1 = 0] = counts(0);
  const second = 44 + time1 * 5 + type1 * 6 + char1 + leap1 * 8 + isstd1 + isut1;
  const [isut = 0, isstd = 0, leap = 0, timecnt = 0, typecnt = 0, charcnt = 0] = counts(second);
  let at = second + 44;
  const times: number[] = [];
  for (let i = 0; i < timecnt; i++, at += 8) times.push(Number(b.readBigInt64BE(at)));
  const types = [...b.subarray(at, at + timecnt)];
  at += timecnt;
  const raw: { utoff: number; isDst: boolean; idx: number }[] = [];
  for (let i = 0; i < typecnt; i++, at += 6) {
    raw.push({ utoff: b.readInt32BE(at), isDst: b[at + 4] === 1, idx: b[at + 5] ?? 0 });
  }
  const chars = b.subarray(at, at + charcnt);
  at += charcnt + leap * 12 + isstd + isut;
  const name = (idx: number): string => {
    const end = chars.indexOf(0, idx);
    return chars.toString('latin1', idx, end < 0 ? chars.length : end);
  };
  const footer = b.toString('latin1', at).split('\n')[1] ?? '';
  return {
    times,
    types,
    infos: raw.map((r) => ({ utoff: r.utoff, isDst: r.isDst, abbrev: name(r.idx) })),
    rule: parseTzRule(footer),
  };
}

/** The names and offsets of a POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3` or `<+0530>-5:30`. */
function parseTzRule(rule: string): { name: string; utoff: number }[] {
  const m = /^(<[^>]*>|[A-Za-z]+)([+-]?[\d:]+)(?:(<[^>]*>|[A-Za-z]+)([+-]?[\d:]+)?)?/.exec(rule);
  if (!m) return [];
  const seconds = (text: string): number => {
    const sign = text.startsWith('-') ? -1 : 1;
    const [h = 0, mi = 0, se = 0] = text.replace(/^[+-]/, '').split(':').map(Number);
    return sign * (h * 3600 + mi * 60 + se);
  };
  const clean = (n: string): string => n.replace(/^<|>$/g, '');
  const std = { name: clean(m[1] ?? ''), utoff: -seconds(m[2] ?? '0') };
  if (!m[3]) return [std];
  return [std, { name: clean(m[3]), utoff: m[4] ? -seconds(m[4]) : std.utoff + 3600 }];
}

function loadTzif(zone: string): Tzif | null {
  if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return null;
  const cached = tzif.get(zone);
  if (cached !== undefined) return cached;
  let parsed: Tzif | null = null;
  try {
    const b = readFileSync(ZONEINFO + zone);
    parsed = b.length <= MAX_TZIF_BYTES ? parseTzif(b) : null;
  } catch {
    parsed = null;
  }
  if (tzif.size >= MAX_CACHED) tzif.clear();
  tzif.set(zone, parsed);
  return parsed;
}

/**
 * tzdata's offset and abbreviation at an instant: from the transition table within it (where ICU's
 * data may be trimmed, before 1900), else the footer rule's name for the offset ICU gave.
 */
function tzdataAt(zone: string, epochMs: number, icuOffset: number): ZoneAt | undefined {
  const tz = loadTzif(zone);
  if (!tz) return undefined;
  const sec = Math.floor(epochMs / 1000);
  const last = tz.times.length - 1;
  if (last >= 0 && sec < (tz.times[last] ?? 0)) {
    let i = last;
    while (i >= 0 && (tz.times[i] ?? 0) > sec) i--;
    const info = i < 0 ? (tz.infos.find((x) => !x.isDst) ?? tz.infos[0]) : tz.infos[tz.types[i] ?? 0];
    return info ? { offsetSec: info.utoff, abbrev: info.abbrev } : undefined;
  }
  const fromRule = tz.rule.find((r) => r.utoff === icuOffset);
  if (fromRule) return { offsetSec: icuOffset, abbrev: fromRule.name };
  const info = tz.infos[tz.types[last] ?? 0];
  return info && info.utoff === icuOffset ? { offsetSec: icuOffset, abbrev: info.abbrev } : undefined;
}
