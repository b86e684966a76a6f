import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupKindKey, groupOf, versionOf } from '../../../src/kube/index.js';

describe('group/version/kind', () => {
  it('splits apiVersions as Kubernetes does, the core group being ""', () => {
    assert.deepEqual(
      ['apps/v1', 'v1', 'argoproj.io/v1alpha1', '', undefined].map((v) => [groupOf(v), versionOf(v)]),
      [
        ['apps', 'v1'],
        ['', 'v1'],
        ['argoproj.io', 'v1alpha1'],
        ['', ''],
        ['', ''],
      ],
    );
  });

  it('keys a kind by group, whatever its version', () => {
    assert.equal(groupKindKey('apps/v1', 'Deployment'), 'apps/Deployment');
    assert.equal(groupKindKey('apps/v1beta2', 'Deployment'), 'apps/Deployment');
    assert.equal(groupKindKey('v1', 'ConfigMap'), '/ConfigMap');
    assert.equal(groupKindKey(undefined, undefined), '/');
  });
});
