import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyImagePolicy,
  applyTagFilter,
  type ImagePolicySpec,
  imagePolicyReadyMessage,
  nextImageRefs,
  policerFromSpec,
  sortTagsDescending,
  tagsRevision,
} from '../../../src/flux/index.js';
import { readGolden } from '../../support/golden.js';

interface Golden {
  semverRanges: { valid: string[]; invalid: string[] };
  latest: {
    name: string;
    policy: ImagePolicySpec['policy'];
    filter?: { pattern?: string; extract?: string };
    tags: string[];
    want?: string;
    error?: string;
  }[];
  invalid: {
    name: string;
    policy: ImagePolicySpec['policy'];
    filter?: { pattern?: string; extract?: string };
    message?: string;
    messagePrefix?: string;
  }[];
  filters: { name: string; tags: string[]; pattern: string; extract: string; want: string[] }[];
  revisions: { cases: { tags: string[]; want: string }[]; big: { count: number; want: string } };
}

const g = readGolden<Golden>('flux/image-policy.json');

describe('flux golden: ImagePolicy semver ranges (Masterminds v3.5 NewConstraint)', () => {
  for (const range of g.semverRanges.valid)
    it(`accepts '${range}'`, () => assert.equal(policerFromSpec({ semver: { range } }).ok, true));
  for (const range of g.semverRanges.invalid)
    it(`refuses '${range}'`, () => assert.equal(policerFromSpec({ semver: { range } }).ok, false));
});

describe('flux golden: ImagePolicy latest tag (semver, alphabetical, numerical, filterTags)', () => {
  for (const c of g.latest)
    it(c.name, () => {
      const got = applyImagePolicy(c.policy, c.filter, c.tags);
      if (c.error !== undefined) assert.deepEqual(got, { kind: 'failed', message: c.error });
      else assert.deepEqual(got, { kind: 'latest', tag: c.want });
    });
  it('numerical: any order of the tags gives the same answer', () => {
    const tags = ['-62', '-88', '73', '72', '15', '16', '15', '29', '-33', '-91'];
    for (let i = 0; i < 20; i++) {
      const shuffled = [...tags].sort(() => Math.random() - 0.5);
      assert.deepEqual(applyImagePolicy({ numerical: {} }, undefined, shuffled), {
        kind: 'latest',
        tag: '73',
      });
    }
  });
});

describe('flux golden: ImagePolicy spec errors (Stalled, InvalidPolicy)', () => {
  for (const c of g.invalid)
    it(c.name, () => {
      const got = applyImagePolicy(c.policy, c.filter, ['1.0.0']);
      assert.equal(got.kind, 'invalid');
      if (c.message !== undefined) assert.equal(got.kind === 'invalid' && got.message, c.message);
      if (c.messagePrefix !== undefined)
        assert.ok(got.kind === 'invalid' && got.message.startsWith(c.messagePrefix), JSON.stringify(got));
    });
});

describe('flux golden: filterTags (RegexFilter)', () => {
  for (const c of g.filters)
    it(c.name, () => {
      const got = applyTagFilter({ pattern: c.pattern, extract: c.extract }, c.tags);
      assert.ok(got.ok);
      assert.deepEqual([...got.tags].sort(), c.want);
    });
});

describe('flux golden: scan revision (Badger checksum)', () => {
  for (const c of g.revisions.cases)
    it(`[${c.tags.join(', ')}]`, () => assert.equal(tagsRevision(sortTagsDescending(c.tags)), c.want));
  it(`${g.revisions.big.count} tags`, () => {
    const tags = Array.from(
      { length: g.revisions.big.count },
      (_, i) => `v${i % 7}.${i % 13}.${i}-build.${i * 31}`,
    );
    assert.equal(tagsRevision(sortTagsDescending(tags)), g.revisions.big.want);
  });
});

describe('ImagePolicy status refs and Ready message', () => {
  const a = { name: 'reg/app', tag: '1.2.4' };
  const b = { name: 'reg/app', tag: '1.2.5' };
  it('a first resolution has no previous ref', () => {
    assert.deepEqual(nextImageRefs(undefined, a), { latestRef: a });
    assert.equal(imagePolicyReadyMessage(a, undefined), 'Latest image tag for reg/app resolved to 1.2.4');
  });
  it('a change keeps the old ref as observedPreviousRef and says so', () => {
    const refs = nextImageRefs({ latestRef: a }, b);
    assert.deepEqual(refs, { latestRef: b, observedPreviousRef: a });
    assert.equal(
      imagePolicyReadyMessage(refs.latestRef, refs.observedPreviousRef),
      'Latest image tag for reg/app resolved to 1.2.5 (previously reg/app:1.2.4)',
    );
  });
  it('an unchanged ref keeps both', () => {
    assert.deepEqual(nextImageRefs({ latestRef: b, observedPreviousRef: a }, { ...b }), {
      latestRef: b,
      observedPreviousRef: a,
    });
  });
  it('names the digest', () => {
    assert.equal(
      imagePolicyReadyMessage({ ...b, digest: 'sha256:ab' }, { ...a, digest: 'sha256:cd' }),
      'Latest image tag for reg/app resolved to 1.2.5 with digest sha256:ab (previously reg/app:1.2.4@sha256:cd)',
    );
  });
});
