import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EchoFilter, StatusWriter } from '../../../src/core/index.js';
import type { KubeObject } from '../../../src/kube/index.js';

// resourceVersions are opaque: deliberately not in numeric or lexical order
const obj = (rv: string, uid = 'u1', name = 'a'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Thing',
  metadata: { name, namespace: 'ns', uid, resourceVersion: rv },
});

describe('StatusWriter.isOwnChange: the watch event of our own write, told by resourceVersion', () => {
  it('our write over the version we wrote against is ours; chained writes too', () => {
    const w = new StatusWriter();
    w.remember(obj('q'), obj('k'));
    assert.equal(w.isOwnChange('Thing', obj('q'), obj('k')), true);
    w.remember(obj('b'), obj('q'));
    assert.equal(w.isOwnChange('Thing', obj('q'), obj('k')), true, 'the first echo still counts');
    assert.equal(w.isOwnChange('Thing', obj('b'), obj('q')), true);
  });

  it('anything someone else wrote is not ours: their version, or ours over theirs', () => {
    const w = new StatusWriter();
    w.remember(obj('q'), obj('k'));
    assert.equal(w.isOwnChange('Thing', obj('z'), obj('q')), false, 'a version we never wrote');
    assert.equal(w.isOwnChange('Thing', obj('q'), obj('x')), false, 'the cache missed a foreign version');
    assert.equal(
      w.isOwnChange('Thing', obj('q', 'u2'), obj('k', 'u2')),
      false,
      'another object of that name',
    );
    assert.equal(w.isOwnChange('Thing', undefined, obj('q')), false, 'a deletion');
    assert.equal(w.isOwnChange('Thing', obj('q', 'u1', 'b'), obj('k', 'u1', 'b')), false, 'another name');
  });

  it('our create is ours (no previous version)', () => {
    const w = new StatusWriter();
    w.remember(obj('c'));
    assert.equal(w.isOwnChange('Thing', obj('c'), undefined), true);
  });
});

describe('EchoFilter: only the echoes of a settled reconcile are skipped', () => {
  it('skips our echoes after a settled decision, keeps them after an unsettled one', () => {
    const w = new StatusWriter();
    const echoes = new EchoFilter(w);
    w.remember(obj('q'), obj('k'));
    assert.equal(echoes.isEcho('Thing', 'ns/a', obj('q'), obj('k')), false, 'nothing said: reconcile');
    echoes.settle('ns/a', true);
    assert.equal(echoes.isEcho('Thing', 'ns/a', obj('q'), obj('k')), true);
    assert.equal(echoes.isEcho('Thing', 'ns/a', obj('z'), obj('q')), false, 'a foreign change always counts');
    echoes.settle('ns/a', false);
    assert.equal(echoes.isEcho('Thing', 'ns/a', obj('q'), obj('k')), false);
    echoes.settle('ns/a', true);
    echoes.forget('ns/a');
    assert.equal(echoes.isEcho('Thing', 'ns/a', obj('q'), obj('k')), false, 'forgotten with its owner');
  });
});
