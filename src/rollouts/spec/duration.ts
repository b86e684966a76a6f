/**
 * Pause durations as Argo Rollouts reads them (`RolloutPause.DurationSeconds`): an integer is
 * seconds; a string is first tried as a base-10 int32 ("3600"), then as a Go duration ("30s",
 * "1h30m", "1.5m"). Go durations are truncated to whole seconds, so "500ms" pauses for 0 seconds,
 * exactly as upstream.
 */
import { SlipwayError } from '../../errors/index.js';
import { parseGoDuration } from '../../go/index.js';
import type { IntOrString, RolloutPause } from '../types.js';

export const INVALID_DURATION = 'ROLLOUT_INVALID_DURATION';

/** A pause duration that neither Argo nor Slipway can read. */
export class InvalidDurationError extends SlipwayError {
  readonly value: unknown;

  constructor(value: unknown, reason: string) {
    super(
      INVALID_DURATION,
      `invalid pause duration ${JSON.stringify(value)}: ${reason}; use whole seconds (30) or a duration such as "30s", "5m" or "1h30m"`,
    );
    this.value = value;
  }
}

export type PauseDurationResult =
  | { readonly ok: true; readonly seconds: number }
  | { readonly ok: false; readonly error: InvalidDurationError };

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const toSeconds = (nanos: bigint): number =>
  Math.trunc(Number(nanos / 1_000_000_000n) + Number(nanos % 1_000_000_000n) / 1e9);

/** Parse a pause duration into whole seconds (may be negative; validation rejects that separately). */
export function parsePauseDuration(value: IntOrString): PauseDurationResult {
  const fail = (reason: string): PauseDurationResult => ({
    ok: false,
    error: new InvalidDurationError(value, reason),
  });
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)
      return fail('not a 32-bit integer');
    return { ok: true, seconds: value };
  }
  if (/^[+-]?\d+$/.test(value)) {
    const seconds = Number.parseInt(value, 10);
    if (seconds >= INT32_MIN && seconds <= INT32_MAX) return { ok: true, seconds };
  }
  const parsed = parseGoDuration(value);
  if (!parsed.ok) return fail(parsed.reason);
  const seconds = toSeconds(parsed.nanos);
  if (seconds < INT32_MIN || seconds > INT32_MAX) return fail('duration out of range');
  return { ok: true, seconds };
}

/**
 * Argo's `RolloutPause.DurationSeconds()`: 0 without a duration, -1 when it cannot be parsed,
 * otherwise whole seconds. A pause without a duration waits for a manual promotion.
 */
export function pauseDurationSeconds(pause: RolloutPause | undefined): number {
  if (pause?.duration === undefined) return 0;
  const parsed = parsePauseDuration(pause.duration);
  return parsed.ok ? parsed.seconds : -1;
}
