import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatMetaLabelSelector,
  labelSelectorFromMeta,
  type MetaLabelSelector,
  matchesLabelSelector,
  matchesMetaLabelSelector,
  parseLabelSelector,
} from '../../../src/kube/index.js';

describe('label selectors', () => {
  const meta: MetaLabelSelector = {
    matchLabels: { app: 'demo' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['web', 'api'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'zone', operator: 'NotIn', values: ['b'] },
      { key: 'team', operator: 'Exists' },
    ],
  };
  const text = 'app=demo,tier in (web,api),!canary,zone notin (b),team';
  const labelSets: readonly Readonly<Record<string, string>>[] = [
    { app: 'demo', tier: 'web', team: 'x' },
    { app: 'demo', tier: 'api', team: 'x', zone: 'a' },
    { app: 'demo', tier: 'api', team: 'x', zone: 'b' },
    { app: 'demo', tier: 'db', team: 'x' },
    { app: 'demo', tier: 'web', team: 'x', canary: '' },
    { app: 'demo', tier: 'web' },
    { app: 'other', tier: 'web', team: 'x' },
    {},
  ];

  it('matches a metav1.LabelSelector as its string form does', () => {
    const parsed = parseLabelSelector(text);
    const matches = labelSets.map((labels) => matchesMetaLabelSelector(meta, labels));
    assert.deepEqual(matches, [true, true, false, false, false, false, false, false]);
    assert.deepEqual(
      labelSets.map((labels) => matchesLabelSelector(parsed, labels)),
      matches,
    );
  });

  it('selects everything when empty and nothing with an unknown operator', () => {
    assert.equal(matchesMetaLabelSelector({}, { any: 'thing' }), true);
    const unknown: MetaLabelSelector = { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] };
    assert.equal(labelSelectorFromMeta(unknown), undefined);
    assert.equal(matchesMetaLabelSelector(unknown, { a: '2' }), false);
  });

  it('prints like metav1.FormatLabelSelector', () => {
    assert.equal(formatMetaLabelSelector({}), '<none>');
    assert.equal(formatMetaLabelSelector(meta), 'app=demo,tier in (api,web),!canary,zone notin (b),team');
  });
});
