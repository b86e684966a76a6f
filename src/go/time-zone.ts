/**
 * Go's time.LoadLocation for IANA names through the runtime's ICU data: the offset at an instant and
 * the zone abbreviation. ICU lacks some of tzdata's abbreviations (Europe's CET, Asia's JST); there
 * the name falls back to the numeric form tzdata itself uses for zones without one (`+09`, `+0530`).
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
