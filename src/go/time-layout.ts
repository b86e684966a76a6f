/** Go's `time.Time.Format` over a reference layout (`2006-01-02T15:04:05Z07:00`). Pure. */

/** Go's `time.RFC3339` layout. */
export const RFC3339 = '2006-01-02T15:04:05Z07:00';
/** Go's `time.RFC3339Nano` layout. */
export const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';
/** The layout of Go's `time.Time.String()`, e.g. `2023-08-14 00:00:00 +0000 UTC`. */
export const TIME_STRING_LAYOUT = '2006-01-02 15:04:05.999999999 -0700 MST';

/** Calendar fields of an instant in its location, as Go's time.Time.Format needs them. */
export interface TimeFields {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly nanos: number;
  readonly weekday: number; // 0 = Sunday
  readonly yearDay: number; // 1-366
  readonly offsetSec: number;
  readonly zone: string;
}

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export type Chunk =
  | 'January'
  | 'Jan'
  | 'Monday'
  | 'Mon'
  | 'MST'
  | '1'
  | '01'
  | '2'
  | '02'
  | '_2'
  | '__2'
  | '002'
  | '15'
  | '3'
  | '03'
  | '4'
  | '04'
  | '5'
  | '05'
  | '06'
  | '2006'
  | 'PM'
  | 'pm'
  | 'zone'
  | 'frac';

export interface Found {
  readonly at: number;
  readonly len: number;
  readonly chunk: Chunk;
}

const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

const ZONE_LAYOUTS = [
  'Z070000',
  'Z07:00:00',
  'Z0700',
  'Z07:00',
  'Z07',
  '-070000',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
];

/** Finds the next reference-layout element at or after `from`, following Go's nextStdChunk rules. */
export function nextChunk(layout: string, from: number): Found | undefined {
  for (let i = from; i < layout.length; i++) {
    const c = layout[i];
    const rest = layout.slice(i);
    const found = (len: number, chunk: Chunk): Found => ({ at: i, len, chunk });
    switch (c) {
      case 'J':
        if (rest.startsWith('January')) return found(7, 'January');
        if (rest.startsWith('Jan') && !isLower(layout[i + 3])) return found(3, 'Jan');
        break;
      case 'M':
        if (rest.startsWith('Monday')) return found(6, 'Monday');
        if (rest.startsWith('Mon') && !isLower(layout[i + 3])) return found(3, 'Mon');
        if (rest.startsWith('MST')) return found(3, 'MST');
        break;
      case '0': {
        const n = layout[i + 1];
        if (n === '0' && layout[i + 2] === '2') return found(3, '002');
        if (n !== undefined && n >= '1' && n <= '6') return found(2, `0${n}` as Chunk);
        break;
      }
      case '1':
        return rest.startsWith('15') ? found(2, '15') : found(1, '1');
      case '2':
        return rest.startsWith('2006') ? found(4, '2006') : found(1, '2');
      case '_':
        if (rest.startsWith('_2')) {
          // "_2006" is a literal underscore followed by the long year.
          if (rest.startsWith('_2006')) return { at: i + 1, len: 4, chunk: '2006' };
          return found(2, '_2');
        }
        if (rest.startsWith('__2')) return found(3, '__2');
        break;
      case '3':
      case '4':
      case '5':
        return found(1, c);
      case 'P':
        if (layout[i + 1] === 'M') return found(2, 'PM');
        break;
      case 'p':
        if (layout[i + 1] === 'm') return found(2, 'pm');
        break;
      case '-':
      case 'Z':
        for (const z of ZONE_LAYOUTS) if (rest.startsWith(z)) return found(z.length, 'zone');
        break;
      case '.':
      case ',': {
        const d = layout[i + 1];
        if (d === '0' || d === '9') {
          let j = i + 1;
          while (layout[j] === d) j++;
          if (!isDigit(layout[j])) return found(j - i, 'frac');
        }
        break;
      }
    }
  }
  return undefined;
}

const pad = (n: number, width: number, fill = '0'): string => String(n).padStart(width, fill);

function formatZone(spec: string, offsetSec: number): string {
  if (spec.startsWith('Z') && offsetSec === 0) return 'Z';
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor(abs / 60) % 60, 2);
  const ss = pad(abs % 60, 2);
  const body = spec.slice(1);
  switch (body) {
    case '070000':
      return `${sign}${hh}${mm}${ss}`;
    case '07:00:00':
      return `${sign}${hh}:${mm}:${ss}`;
    case '0700':
      return `${sign}${hh}${mm}`;
    case '07:00':
      return `${sign}${hh}:${mm}`;
    default:
      return `${sign}${hh}`;
  }
}

function formatFraction(spec: string, nanos: number): string {
  const digits = spec.length - 1;
  const sep = spec[0] ?? '.';
  let frac = pad(nanos, 9).slice(0, digits);
  if (spec[1] === '9') {
    frac = frac.replace(/0+$/, '');
    return frac === '' ? '' : sep + frac;
  }
  return sep + frac;
}

function formatChunk(chunk: Chunk, spec: string, t: TimeFields): string {
  const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
  switch (chunk) {
    case 'January':
      return MONTHS[t.month - 1] ?? '';
    case 'Jan':
      return (MONTHS[t.month - 1] ?? '').slice(0, 3);
    case 'Monday':
      return DAYS[t.weekday] ?? '';
    case 'Mon':
      return (DAYS[t.weekday] ?? '').slice(0, 3);
    case 'MST':
      return t.zone !== '' ? t.zone : formatZone('-0700', t.offsetSec);
    case '1':
      return String(t.month);
    case '01':
      return pad(t.month, 2);
    case '2':
      return String(t.day);
    case '02':
      return pad(t.day, 2);
    case '_2':
      return pad(t.day, 2, ' ');
    case '__2':
      return pad(t.yearDay, 3, ' ');
    case '002':
      return pad(t.yearDay, 3);
    case '15':
      return pad(t.hour, 2);
    case '3':
      return String(hour12);
    case '03':
      return pad(hour12, 2);
    case '4':
      return String(t.minute);
    case '04':
      return pad(t.minute, 2);
    case '5':
      return String(t.second);
    case '05':
      return pad(t.second, 2);
    case '06':
      return pad(Math.abs(t.year) % 100, 2);
    case '2006':
      return t.year < 0 ? `-${pad(-t.year, 4)}` : pad(t.year, 4);
    case 'PM':
      return t.hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return t.hour >= 12 ? 'pm' : 'am';
    case 'zone':
      return formatZone(spec, t.offsetSec);
    case 'frac':
      return formatFraction(spec, t.nanos);
  }
}

/** Formats `t` with a Go reference layout such as `2006-01-02T15:04:05Z07:00` or `Jan _2 3:04PM`. */
export function formatGoLayout(t: TimeFields, layout: string): string {
  let out = '';
  let i = 0;
  for (let found = nextChunk(layout, 0); found; found = nextChunk(layout, i)) {
    out += layout.slice(i, found.at);
    const spec = layout.slice(found.at, found.at + found.len);
    out += formatChunk(found.chunk, spec, t);
    i = found.at + found.len;
  }
  return out + layout.slice(i);
}
