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
