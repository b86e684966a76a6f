import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareNotifications, parseStepMessage } from '../../support/chaos/index.js';
import type { RevisionTruth } from '../../support/chaos/rollout-observer.js';

const msg = (rollout: string, hash: string, step: number) =>
  `chaos-step rollout=${rollout} hash=${hash} image=img:${hash} step=${step}/4`;
const truth = (...revisions: RevisionTruth[]) =>
  new Map([['r0', new Map(revisions.map((r) => [r.hash, r]))]]);

describe('chaos notification ledger', () => {
  it('parses the step template', () => {
    assert.deepEqual(parseStepMessage(msg('r0', 'abc', 2)), {
      rollout: 'r0',
      hash: 'abc',
      image: 'img:abc',
      step: 2,
      total: 4,
    });
    assert.equal(parseStepMessage('something else'), undefined);
  });

  it('expects one message per completed step, none for the initial deploy', () => {
    const t = truth(
      { hash: 'a', maxStep: 4, initial: true, completedAt: new Map() },
      { hash: 'b', maxStep: 2, initial: false, completedAt: new Map() },
      { hash: 'c', maxStep: 4, initial: false, completedAt: new Map() },
    );
    const texts = [msg('r0', 'b', 1), msg('r0', 'b', 2), ...[1, 2, 3, 4].map((s) => msg('r0', 'c', s))];
    const r = compareNotifications(t, texts);
    assert.deepEqual(
      {
        expected: r.expected,
        received: r.received,
        lost: r.lost,
        dup: r.duplicated,
        wrong: r.wrongStep,
      },
      { expected: 6, received: 6, lost: 0, dup: 0, wrong: 0 },
    );
  });

  it('tells lost and duplicated messages from wrongly numbered ones', () => {
    const t = truth(
      { hash: 'a', maxStep: 4, initial: true, completedAt: new Map() },
      { hash: 'b', maxStep: 3, initial: false, completedAt: new Map() },
    );
    // three steps, three messages: step 1 twice, step 3 rendered as step 4 (never completed)
    const misnumbered = compareNotifications(t, [msg('r0', 'b', 1), msg('r0', 'b', 1), msg('r0', 'b', 4)]);
    assert.deepEqual(
      [misnumbered.lost, misnumbered.duplicated, misnumbered.wrongStep, misnumbered.missingByContent],
      [0, 0, 2, 2],
    );
    // two messages for three steps, one of them twice: one lost, and one of the copies names a lost step
    const lost = compareNotifications(t, [msg('r0', 'b', 1), msg('r0', 'b', 1), 'noise']);
    assert.deepEqual([lost.lost, lost.duplicated, lost.wrongStep, lost.unparsable], [1, 0, 1, 1]);
    // four messages for three steps
    const dup = compareNotifications(
      t,
      [1, 2, 3, 3].map((s) => msg('r0', 'b', s)),
    );
    assert.deepEqual([dup.lost, dup.duplicated, dup.wrongStep], [0, 1, 0]);
  });
});
