export { timeFieldsAt, utcEpochMs, ZERO_TIME_MS } from './calendar.js';
export { canonicalJson } from './canonical-json.js';
export {
  type DurationErrorKind,
  formatGoDuration,
  goQuote,
  MAX_DURATION_NS,
  MIN_DURATION_NS,
  type ParsedDuration,
  parseGoDuration,
  toDurationNanos,
} from './duration.js';
export { fnv32a } from './fnv.js';
export { formatBinaryFloat, formatE, formatF, formatG, formatHexFloat } from './format-float.js';
export { formatGoNumber, formatGoValue, type GoValueFormat, isGoMap } from './format-value.js';
export { goJsonSyntaxError } from './json-syntax.js';
export { isPrintable, quoteGo } from './quote.js';
export {
  formatGoLayout,
  RFC3339,
  RFC3339_NANO,
  TIME_STRING_LAYOUT,
  type TimeFields,
} from './time-layout.js';
export { type ParsedTime, type ParseTimeResult, parseGoTime } from './time-parse.js';
export { isKnownZone, type ZoneAt, zoneAt } from './time-zone.js';
