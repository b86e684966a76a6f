// Pure: compares the step messages Slack received with the steps that completed (the observer's truth).
// Every completed step (rollout, revision hash, 1-based step) must have exactly one message whose text
// names that revision and that step.
import type { RevisionTruth } from './rollout-observer.js';

export interface StepMessage {
  readonly rollout: string;
  readonly hash: string;
  readonly image: string;
  readonly step: number;
  readonly total: number;
}

const LINE = /^chaos-step rollout=(\S+) hash=(\S*) image=(\S*) step=(\d+)\/(\d+)/;

export function parseStepMessage(text: string): StepMessage | undefined {
  const m = LINE.exec(text.trim());
  if (m === null) return undefined;
  return {
    rollout: m[1] ?? '',
    hash: m[2] ?? '',
    image: m[3] ?? '',
    step: Number(m[4]),
    total: Number(m[5]),
  };
}

/**
 * Per Rollout, the number of messages against the number of completed steps decides what was lost or
 * sent twice; messages beyond that which name a step or revision without its own message are counted as
 * wrong-step (delivered once, rendered from another state of the object). A lost message of one revision
 * and a duplicate of another in the same Rollout therefore count as one wrong-step message.
 */
export interface LedgerResult {
  /** Completed steps (one message each is expected). */
  readonly expected: number;
  /** Step messages received. */
  readonly received: number;
  /** Completed steps that got no message (Σ per Rollout of max(0, expected − received)). */
  readonly lost: number;
  /** Messages beyond one per completed step (Σ per Rollout of max(0, received − expected)). */
  readonly duplicated: number;
  /** Messages delivered for a step but naming another step or revision. */
  readonly wrongStep: number;
  /** Raw content mismatches: completed steps with no message naming them / extra messages naming a step. */
  readonly missingByContent: number;
  readonly extraByContent: number;
  /** Of `missingByContent`, steps that completed after the last kill (losses no kill can explain). */
  readonly missingAfterLastKill: number;
  /** Text lines that are not step messages of this run (template broken?). */
  readonly unparsable: number;
  /** Up to 12 concrete anomalies as evidence. */
  readonly examples: readonly string[];
}

export function compareNotifications(
  truth: ReadonlyMap<string, ReadonlyMap<string, RevisionTruth>>,
  texts: readonly string[],
  lastKillAt = Number.POSITIVE_INFINITY,
): LedgerResult {
  const received = new Map<string, Map<string, number>>();
  let unparsable = 0;
  let count = 0;
  for (const text of texts) {
    const m = parseStepMessage(text);
    if (m === undefined) {
      unparsable += 1;
      continue;
    }
    count += 1;
    const perRollout = received.get(m.rollout) ?? new Map<string, number>();
    const key = `${m.hash}#${m.step}`;
    perRollout.set(key, (perRollout.get(key) ?? 0) + 1);
    received.set(m.rollout, perRollout);
  }
  let expected = 0;
  let lost = 0;
  let duplicated = 0;
  let wrongStep = 0;
  let missingByContent = 0;
  let extraByContent = 0;
  let missingAfterLastKill = 0;
  const examples: string[] = [];
  const note = (line: string) => {
    if (examples.length < 12) examples.push(line);
  };
  for (const name of new Set([...truth.keys(), ...received.keys()])) {
    const revisions = truth.get(name) ?? new Map<string, RevisionTruth>();
    const got = received.get(name) ?? new Map<string, number>();
    const want = new Set<string>();
    const completedAt = new Map<string, number>();
    for (const r of revisions.values())
      if (!r.initial)
        for (let s = 1; s <= r.maxStep; s++) {
          want.add(`${r.hash}#${s}`);
          completedAt.set(`${r.hash}#${s}`, r.completedAt.get(s) ?? 0);
        }
    let missing = 0;
    let extra = 0;
    for (const key of want) {
      const n = got.get(key) ?? 0;
      if (n === 0) {
        missing += 1;
        if ((completedAt.get(key) ?? 0) > lastKillAt) missingAfterLastKill += 1;
        note(`${name}: no message names revision#step ${key} (${imageOf(revisions, key)})`);
      } else if (n > 1) {
        extra += n - 1;
        note(`${name}: ${n} messages name revision#step ${key} (${imageOf(revisions, key)})`);
      }
    }
    for (const [key, n] of got)
      if (!want.has(key)) {
        extra += n;
        note(`${name}: ${n} message(s) name revision#step ${key}, which never completed`);
      }
    const sent = [...got.values()].reduce((a, b) => a + b, 0);
    expected += want.size;
    lost += Math.max(0, want.size - sent);
    duplicated += Math.max(0, sent - want.size);
    wrongStep += Math.min(missing, extra);
    missingByContent += missing;
    extraByContent += extra;
  }
  return {
    expected,
    received: count,
    lost,
    duplicated,
    wrongStep,
    missingByContent,
    extraByContent,
    missingAfterLastKill,
    unparsable,
    examples,
  };
}

function imageOf(revisions: ReadonlyMap<string, RevisionTruth>, key: string): string {
  return revisions.get(key.split('#')[0] ?? '')?.image ?? 'image unknown';
}
