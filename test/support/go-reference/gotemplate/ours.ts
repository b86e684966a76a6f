import { SlipwayError } from '../../../../src/errors/index.js';
import { parse } from '../../../../src/gotemplate/index.js';
import type { TemplateAnswer, TemplateCase } from './reference.js';

// The clock our side runs with; the generator calls no clock-reading function, so any fixed instant works.
const NOW = new Date('2024-05-01T12:00:00Z');

/** What Slipway makes of a case, in the reference's answer shape; anything but a SlipwayError is a CRASH. */
export function answerOurs(c: TemplateCase): TemplateAnswer {
  try {
    return { output: parse('t', c.template).execute(structuredClone(c.data), { now: NOW }) };
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
