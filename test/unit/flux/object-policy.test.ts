import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anyInMetadata, isApplySkipped, isForceRecreated, isPruneExcluded } from '../../../src/flux/index.js';
import type { KubeObject } from '../../../src/kube/index.js';

const obj = (annotations: Record<string, string> = {}, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'n', annotations, labels, uid: 'u' },
});
const K = 'kustomize.toolkit.fluxcd.io';

// fluxcd/pkg ssa v0.76.2 shouldSkipApply / shouldForceApply / DeleteAll exclusions, as
// kustomize-controller v1.9.6 configures them
describe('flux: per-object annotations', () => {
  it('matches labels or annotations, values ignoring case, empty values never', () => {
    assert.ok(anyInMetadata(obj({ [`${K}/ssa`]: 'ignore' }), { [`${K}/ssa`]: 'Ignore' }));
    assert.ok(anyInMetadata(obj({}, { [`${K}/reconcile`]: 'Disabled' }), { [`${K}/reconcile`]: 'disabled' }));
    assert.ok(!anyInMetadata(obj({ [`${K}/ssa`]: '' }), { [`${K}/ssa`]: '' }));
    assert.ok(!anyInMetadata(undefined, { [`${K}/ssa`]: 'Ignore' }));
  });

  it('skips reconcile disabled and ssa Ignore, in Git or in the cluster', () => {
    assert.ok(isApplySkipped(obj({ [`${K}/reconcile`]: 'disabled' }), undefined));
    assert.ok(isApplySkipped(obj(), obj({ [`${K}/reconcile`]: 'disabled' })));
    assert.ok(isApplySkipped(obj({ [`${K}/ssa`]: 'Ignore' }), obj()));
    assert.ok(isApplySkipped(obj(), obj({ [`${K}/ssa`]: 'Ignore' })));
    assert.ok(!isApplySkipped(obj(), obj()));
    assert.ok(!isApplySkipped(obj({ [`${K}/ssa`]: 'Merge' }), obj()));
  });

  it('creates IfNotPresent objects only when missing (read from Git only)', () => {
    assert.ok(!isApplySkipped(obj({ [`${K}/ssa`]: 'IfNotPresent' }), undefined));
    assert.ok(isApplySkipped(obj({ [`${K}/ssa`]: 'IfNotPresent' }), obj()));
    assert.ok(!isApplySkipped(obj(), obj({ [`${K}/ssa`]: 'IfNotPresent' })));
  });

  it('recreates on spec.force or a force annotation on either side', () => {
    assert.ok(isForceRecreated(true, obj(), obj()));
    assert.ok(isForceRecreated(false, obj({ [`${K}/force`]: 'Enabled' }), obj()));
    assert.ok(isForceRecreated(undefined, obj(), obj({ [`${K}/force`]: 'enabled' })));
    assert.ok(!isForceRecreated(false, obj({ [`${K}/force`]: 'disabled' }), obj()));
  });

  it('keeps prune disabled, reconcile disabled and ssa Ignore objects', () => {
    assert.ok(isPruneExcluded(obj({ [`${K}/prune`]: 'disabled' })));
    assert.ok(isPruneExcluded(obj({ [`${K}/reconcile`]: 'disabled' })));
    assert.ok(isPruneExcluded(obj({}, { [`${K}/ssa`]: 'ignore' })));
    assert.ok(!isPruneExcluded(obj({ [`${K}/ssa`]: 'IfNotPresent' })));
  });
});
