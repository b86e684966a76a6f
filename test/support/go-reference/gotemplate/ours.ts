import { SlipwayError } from '../../../../src/errors/index.js';
import { GoInt, parse } from '../../../../src/gotemplate/index.js';
import type { TemplateAnswer, TemplateCase } from './reference.js';

// The clock our side runs with; the generator calls no clock-reading function, so any fixed instant works.
const NOW = new Date('2024-05-01T12:00:00Z');

/** A case's data as Slipway receives it: JSON, with {"$int": n} as a Go int (main.go's decodeInts). */
export function decodeData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeData);
  if (typeof v !== 'object' || v === null) return v;
  const record = v as Record<string, unknown>;
  if (typeof record.$int === 'number' && Object.keys(record).length === 1) return new GoInt(record.$int);
  return Object.fromEntries(Object.entries(record).map(([k, x]) => [k, decodeData(x)]));
}

/** What Slipway makes of a case, in the reference's answer shape; anything but a SlipwayError is a CRASH. */
export function answerOurs(c: TemplateCase): TemplateAnswer {
  try {
    return { output: parse('t', c.template).execute(decodeData(c.data), { now: NOW }) };
  } catch (err) {
    if (err instanceof SlipwayError) return { error: true, message: err.message };
    return {
      error: true,
      message: `CRASH ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    };
  }
}

/** Whether two answers agree on error-or-not and, without an error, on the output (messages are not compared). */
export function agree(ours: TemplateAnswer, theirs: TemplateAnswer): boolean {
  if ((ours.error ?? false) !== (theirs.error ?? false)) return false;
  if (ours.message?.startsWith('CRASH')) return false;
  return ours.error === true || ours.output === theirs.output;
}
