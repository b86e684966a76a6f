import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONTROLLER_INSTANCE_ID_LABEL,
  instanceIdLabels,
  instanceIdSelector,
} from '../../../src/analysis/index.js';
import { matchesLabelSelector, parseLabelSelector } from '../../../src/kube/index.js';

describe('controller instance ids (Argo --instance-id)', () => {
  it('selects the labelled objects with an id and the unlabelled ones without', () => {
    assert.equal(instanceIdSelector('team-b'), `${CONTROLLER_INSTANCE_ID_LABEL}=team-b`);
    assert.equal(instanceIdSelector(undefined), `!${CONTROLLER_INSTANCE_ID_LABEL}`);
    assert.equal(instanceIdSelector(''), `!${CONTROLLER_INSTANCE_ID_LABEL}`, 'an empty id is no id');
    const labelled = { [CONTROLLER_INSTANCE_ID_LABEL]: 'team-b' };
    const matches = (id: string | undefined, labels: Record<string, string>) =>
      matchesLabelSelector(parseLabelSelector(instanceIdSelector(id)), labels);
    assert.equal(matches('team-b', labelled), true);
    assert.equal(matches('team-a', labelled), false);
    assert.equal(matches(undefined, labelled), false);
    assert.equal(matches(undefined, { app: 'x' }), true);
    assert.equal(matches('team-b', {}), false);
  });

  it('gives created objects their owner’s label, and none when the owner has none', () => {
    assert.deepEqual(instanceIdLabels({ metadata: { labels: { [CONTROLLER_INSTANCE_ID_LABEL]: 'a' } } }), {
      [CONTROLLER_INSTANCE_ID_LABEL]: 'a',
    });
    assert.deepEqual(instanceIdLabels({ metadata: { labels: { app: 'x' } } }), {});
    assert.deepEqual(instanceIdLabels({}), {});
  });
});
