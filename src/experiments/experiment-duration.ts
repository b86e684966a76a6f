/**
 * `spec.duration` as Argo reads it (`DurationString.Duration`): a base-10 integer is seconds,
 * anything else a Go duration ("30s", "1h30m"). Pure.
 */
import { parseGoDuration } from '../go/index.js';
import type { IntOrString } from '../rollouts/index.js';

export type ExperimentDurationResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly message: string };

export function parseExperimentDuration(value: IntOrString): ExperimentDurationResult {
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { ok: true, ms: value * 1000 }
      : { ok: false, message: `time: invalid duration "${value}"` };
  }
  if (/^[+-]?\d+$/.test(value)) return { ok: true, ms: Number.parseInt(value, 10) * 1000 };
  const parsed = parseGoDuration(value);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  return { ok: true, ms: Number(parsed.nanos / 1_000_000n) };
}

/** The duration in ms, or undefined when unset or unreadable (then the experiment has no end time). */
export function experimentDurationMs(value: IntOrString | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = parseExperimentDuration(value);
  return parsed.ok ? parsed.ms : undefined;
}
