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
      { hash: 'a', maxStep: 4, initial: true },
      { hash: 'b', maxStep: 2, initial: false },
      { hash: 'c', maxStep: 4, initial: false },
    );
    const texts = [msg('r0', 'b', 1), msg('r0', 'b', 2), ...[1, 2, 3, 4].map((s) => msg('r0', 'c', s))];
    const r = compareNotifications(t, texts);
    assert.deepEqual(
      {
        expected: r.expected,
        received: r.received,
        lost: r.lost,
        dup: r.duplicated,
        unexpected: r.unexpected,
      },
      { expected: 6, received: 6, lost: 0, dup: 0, unexpected: 0 },
    );
  });

  it('counts lost, duplicated and wrongly numbered messages', () => {
    const t = truth({ hash: 'a', maxStep: 4, initial: true }, { hash: 'b', maxStep: 3, initial: false });
    // step 1 twice, step 2 missing, step 3 rendered as step 4 (which never completed)
    const r = compareNotifications(t, [msg('r0', 'b', 1), msg('r0', 'b', 1), msg('r0', 'b', 4), 'noise']);
    assert.equal(r.expected, 3);
    assert.equal(r.lost, 2);
    assert.equal(r.duplicated, 1);
    assert.equal(r.unexpected, 1);
    assert.equal(r.wrongStep, 2);
    assert.equal(r.unparsable, 1);
  });
});
