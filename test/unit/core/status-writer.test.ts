import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock, RetryAfterStatusError, StatusWriter } from '../../../src/core/index.js';
import type { KubeObject } from '../../../src/kube/index.js';

type Obj = KubeObject & { status?: unknown };
// resourceVersions are opaque: these are deliberately not in numeric or lexical order
const obj = (rv: string, status: unknown = {}, uid = 'u1'): Obj => ({
  apiVersion: 'v1',
  kind: 'Thing',
  metadata: { name: 'a', namespace: 'ns', uid, resourceVersion: rv },
  status,
});

describe('core StatusWriter: read-your-writes with opaque resourceVersions', () => {
  it('returns our write while the cache holds the version it was based on, then the cache once it caught up', () => {
    const w = new StatusWriter();
    w.remember(obj('9', { n: 1 }), obj('10'));
    assert.deepEqual(w.fresher('Thing', obj('10'))?.status, { n: 1 }, 'cache older (our base)');
    assert.equal(w.fresher('Thing', obj('9', { n: 1 }))?.metadata.resourceVersion, '9', 'caught up');
    // forgotten once caught up: a later unknown version is taken as it is
    assert.deepEqual(w.fresher('Thing', obj('10'))?.status, {});
  });

  it('chains writes: every earlier write and base counts as older', () => {
    const w = new StatusWriter();
    w.remember(obj('b', { n: 1 }), obj('c'));
    w.remember(obj('a', { n: 2 }), obj('b', { n: 1 }));
    assert.deepEqual(w.fresher('Thing', obj('c'))?.status, { n: 2 });
    assert.deepEqual(w.fresher('Thing', obj('b'))?.status, { n: 2 });
  });

  it('a version someone else wrote after us wins, whatever its number', () => {
    const w = new StatusWriter();
    w.remember(obj('100', { n: 1 }), obj('99'));
    assert.deepEqual(w.fresher('Thing', obj('5', { other: true }))?.status, { other: true });
  });

  it('a recreated object (another uid) is never shadowed by the old one', () => {
    const w = new StatusWriter();
    w.remember(obj('2', { n: 1 }), obj('1'));
    assert.equal(w.fresher('Thing', obj('1', {}, 'u2'))?.metadata.uid, 'u2');
  });

  it('drops its copy once the informer delivers our write or a later version (observe), not before', () => {
    const w = new StatusWriter();
    w.remember(obj('b', { n: 1 }), obj('c'));
    w.remember(obj('a', { n: 2 }), obj('b', { n: 1 }));
    w.observe('Thing', obj('c'));
    w.observe('Thing', obj('b', { n: 1 }));
    assert.deepEqual(
      w.fresher('Thing', obj('b'))?.status,
      { n: 2 },
      'the cache is still behind our last write',
    );
    // the echo of our last write: still ours when asked before observe, then the copy goes
    assert.equal(w.isOwnChange('Thing', obj('a', { n: 2 }), obj('b', { n: 1 })), true);
    w.observe('Thing', obj('a', { n: 2 }));
    assert.deepEqual(
      w.fresher('Thing', obj('b'))?.status,
      {},
      'nothing remembered: a stale cache is taken as is',
    );
    // someone else's version after ours drops it too, as fresher would
    w.remember(obj('d', { n: 3 }), obj('a', { n: 2 }));
    w.observe('Thing', obj('z', { other: true }));
    assert.deepEqual(w.fresher('Thing', obj('a'))?.status, {});
  });

  it('forgets writes the cache never caught up with after maxAgeMs (swept on later writes)', () => {
    const clock = new ManualClock(0);
    const w = new StatusWriter({ maxAgeMs: 1_000, clock });
    w.remember(obj('2', { n: 1 }), obj('1'));
    clock.advance(5_000);
    for (let i = 0; i < 1024; i++)
      w.remember({ ...obj(String(i)), metadata: { ...obj('x').metadata, name: `o${i}` } });
    assert.deepEqual(w.fresher('Thing', obj('1'))?.status, {});
  });
});

describe('core StatusWriter: compare, then write once', () => {
  it('does not write an unchanged status (key order and undefined members do not count)', async () => {
    const w = new StatusWriter();
    let writes = 0;
    const write = async (next: Obj) => {
      writes++;
      return { ...next, metadata: { ...next.metadata, resourceVersion: 'w' } };
    };
    const current = obj('1', { a: 1, b: { c: 2 } });
    const none = await w.writeStatus({ current, status: { b: { c: 2 }, a: 1, d: undefined }, write });
    assert.equal(none, undefined);
    assert.equal(writes, 0);
    const out = await w.writeStatus({ current, status: { a: 2, b: { c: 2 } }, write });
    assert.equal(writes, 1);
    assert.equal(out?.metadata.resourceVersion, 'w');
    assert.deepEqual(w.fresher('Thing', current)?.status, { a: 2, b: { c: 2 } }, 'remembered');
  });

  it('a custom comparison decides (a write that carries more than the status)', async () => {
    const w = new StatusWriter();
    let writes = 0;
    const current = obj('1', { a: 1 });
    await w.writeStatus({
      current,
      status: { a: 1 },
      changed: () => true,
      write: async (next) => {
        writes++;
        return next;
      },
    });
    assert.equal(writes, 1);
  });

  it('write then fail: RetryAfterStatusError carries a stable code and the cause', () => {
    const cause = new Error('repo unreachable');
    const err = new RetryAfterStatusError(cause);
    assert.equal(err.code, 'RECONCILE_RETRY_AFTER_STATUS');
    assert.equal(err.cause, cause);
  });
});
