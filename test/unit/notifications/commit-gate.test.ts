import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transitionOf } from '../../../src/core/index.js';
import {
  type CommitInput,
  type CommitView,
  DeliveryEngine,
  decideCommit,
  MemoryOutboxStore,
  type NotificationService,
  type OutboxEntry,
} from '../../../src/notifications/index.js';
import { silentLogger } from '../../../src/observability/index.js';

const S0 = transitionOf({ currentStepIndex: 2, phase: 'Paused' });
const S1 = transitionOf({ currentStepIndex: 3, phase: 'Progressing' });
const minute = 60_000;

const verdict = (over: Partial<CommitInput> & { view: CommitView | undefined }) =>
  decideCommit({ entry: { from: S0, createdAt: 0 }, seen: true, now: minute, ...over });

describe('notifications: commit gate (deliver | wait | drop)', () => {
  it('an entry without `from` (state triggers, best-effort events) is committed when written', () => {
    assert.deepEqual(decideCommit({ entry: { createdAt: 0 }, view: undefined, seen: false, now: 0 }), {
      kind: 'deliver',
    });
  });

  it('waits while the status still hashes to `from` (the transition is not committed)', () => {
    assert.deepEqual(verdict({ view: { hasEntry: true, transition: S0 } }), { kind: 'wait' });
  });

  it('delivers once the status moved away from `from` and the entry is still there (committed)', () => {
    assert.deepEqual(verdict({ view: { hasEntry: true, transition: S1 } }), { kind: 'deliver' });
  });

  it('drops an entry seen before and removed since (obsolete attempt, decided differently)', () => {
    assert.deepEqual(verdict({ view: { hasEntry: false, transition: S1 } }), {
      kind: 'drop',
      reason: 'obsolete',
      remove: false,
    });
    assert.deepEqual(verdict({ view: { hasEntry: false, transition: S0 } }), {
      kind: 'drop',
      reason: 'obsolete',
      remove: false,
    });
  });

  it('waits for an entry not seen yet: the observed version may predate its write', () => {
    assert.deepEqual(verdict({ seen: false, view: { hasEntry: false, transition: S0 } }), { kind: 'wait' });
    assert.deepEqual(verdict({ seen: false, view: { hasEntry: false, transition: S1 } }), { kind: 'wait' });
  });

  it('drops (and removes) an entry still uncommitted after the bound', () => {
    assert.deepEqual(verdict({ now: 11 * minute, view: { hasEntry: true, transition: S0 } }), {
      kind: 'drop',
      reason: 'uncommitted',
      remove: true,
    });
    assert.deepEqual(
      verdict({ now: 2 * minute, maxWaitMs: minute, seen: false, view: { hasEntry: false, transition: S1 } }),
      { kind: 'drop', reason: 'uncommitted', remove: false },
    );
    assert.deepEqual(verdict({ now: 11 * minute, view: { hasEntry: true, transition: S1 } }), {
      kind: 'deliver',
    });
  });

  it('drops the entries of an object that is gone', () => {
    assert.deepEqual(verdict({ view: undefined }), { kind: 'drop', reason: 'object-gone', remove: false });
  });

  it('transitionOf ignores key order and undefined members, and treats a missing status as {}', () => {
    assert.equal(
      transitionOf({ a: 1, b: { c: [1, 2] } }),
      transitionOf({ b: { c: [1, 2] }, a: 1, d: undefined }),
    );
    assert.equal(transitionOf(undefined), transitionOf({}));
    assert.notEqual(transitionOf({ currentStepIndex: 2 }), transitionOf({ currentStepIndex: 3 }));
  });
});

describe('notifications: delivery holds uncommitted entries', () => {
  const owner = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    namespace: 'shop',
    name: 'r',
    uid: 'u1',
  };
  const entry = (id: string, from: string | undefined): OutboxEntry => ({
    id,
    createdAt: Date.now(),
    trigger: 'on-rollout-step-completed',
    service: 'slack',
    recipient: 'c',
    config: 'shop/cm',
    notification: { message: id },
    markSent: true,
    ...(from !== undefined && { from }),
  });

  function setup() {
    const sent: string[] = [];
    const service: NotificationService = {
      type: 'slack',
      workspace: 'w',
      send: async (r) => {
        sent.push(r.id);
        return { kind: 'sent' };
      },
      findDelivered: async () => ({ kind: 'absent' }),
    };
    const object = { status: S0, outbox: new Set<string>() };
    const store = new MemoryOutboxStore();
    const engine = new DeliveryEngine({
      services: () => service,
      store,
      logger: silentLogger(),
      pacing: false,
      commitPollMs: 5,
      observe: (_o, id) => ({ hasEntry: object.outbox.has(id), transition: object.status }),
    });
    return { sent, object, store, engine };
  }

  const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));
  async function until(what: string, done: () => boolean): Promise<void> {
    for (let waited = 0; !done(); waited += 10) {
      if (waited > 30_000) assert.fail(`timed out waiting: ${what}`);
      await settle(10);
    }
  }

  it('sends a committed entry only after the status moved away from `from`, in channel order', async () => {
    const { sent, object, engine } = setup();
    object.outbox.add('a').add('b');
    engine.enqueue(owner, entry('a', S0), false);
    engine.enqueue(owner, entry('b', undefined), false);
    await settle();
    assert.deepEqual(sent, [], 'nothing goes out before the commit, nor after it in the same channel');
    object.status = S1;
    await until('both sent', () => sent.length === 2);
    assert.deepEqual(sent, ['a', 'b']);
    engine.stop();
  });

  it('drops an entry removed from the outbox by a different decision; discard forgets a queued one', async () => {
    const { sent, object, store, engine } = setup();
    object.outbox.add('x').add('y');
    engine.enqueue(owner, entry('x', S0), false);
    engine.enqueue(owner, entry('y', S0), false);
    await settle();
    // the new decision's patch removes x and y; this process discards y itself, x only disappears
    object.outbox.delete('x');
    object.outbox.delete('y');
    engine.discard('y');
    object.outbox.add('z');
    engine.enqueue(owner, entry('z', S0), false);
    object.status = S1;
    await until('z sent and its entry completed', () => store.completed.length === 1 && engine.size === 0);
    assert.deepEqual(sent, ['z']);
    assert.equal(engine.knows('y'), false, 'a discarded id may be decided again');
    assert.deepEqual(store.completed, ['z'], 'dropped entries are not completed (no sent marker)');
    engine.stop();
  });
});
