import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  artifactIgnoreRules,
  type FluxCondition,
  type FluxConditionType,
  type FluxReason,
  invalidVariableName,
  inventoryEntry,
  isIgnored,
  type ResourceRef,
  resolveGitRef,
  revisionSha,
  setFluxCondition,
  staleEntries,
  substituteText,
} from '../../../src/flux/index.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { readGolden } from '../../support/golden.js';

describe('flux golden: GitRepository ref resolution and revision format', () => {
  const g = readGolden<{
    refs: Record<string, string>;
    cases: { name: string; ref: Record<string, string> | null; want: unknown }[];
  }>('flux/revision.json');
  const refs = new Map(Object.entries(g.refs));
  for (const c of g.cases) {
    it(c.name, () => assert.deepEqual(resolveGitRef(refs, c.ref ?? undefined), c.want));
  }
  it('reads the commit back from every revision form', () => {
    const sha = 'a'.repeat(40);
    assert.equal(revisionSha(`main@sha1:${sha}`), sha);
    assert.equal(revisionSha(`sha1:${sha}`), sha);
    assert.equal(revisionSha(`refs/pull/7/head@sha1:${sha}`), sha);
    assert.equal(revisionSha(`main/${sha}`), sha);
    assert.equal(revisionSha('main@sha256:abc'), undefined);
  });
});

describe('flux golden: inventory entries', () => {
  const g = readGolden<{
    entries: { object: KubeObject; want: ResourceRef }[];
    stale: { previous: ResourceRef[] | null; next: ResourceRef[]; want: ResourceRef[] }[];
  }>('flux/inventory.json');
  for (const c of g.entries) {
    it(`id of ${c.object.kind} ${c.object.metadata.name}`, () =>
      assert.deepEqual(inventoryEntry(c.object), c.want));
  }
  g.stale.forEach((c, i) => {
    it(`stale entries #${i + 1} (reverse apply order)`, () =>
      assert.deepEqual(staleEntries(c.previous ?? undefined, c.next), c.want));
  });
});

describe('flux golden: postBuild substitution', () => {
  const g = readGolden<{
    text: { name: string; text: string; vars: Record<string, string>; want: string }[];
    names: { vars: Record<string, string>; want: string | null }[];
  }>('flux/substitution.json');
  for (const c of g.text) it(c.name, () => assert.equal(substituteText(c.text, c.vars), c.want));
  g.names.forEach((c, i) => {
    it(`variable names #${i + 1}`, () => assert.equal(invalidVariableName(c.vars) ?? null, c.want));
  });
});

describe('flux golden: source ignore rules', () => {
  const g = readGolden<{ cases: { name: string; ignore: string | null; paths: Record<string, boolean> }[] }>(
    'flux/ignore.json',
  );
  for (const c of g.cases) {
    it(c.name, () => {
      const rules = artifactIgnoreRules(c.ignore ?? undefined);
      const got = Object.fromEntries(Object.keys(c.paths).map((p) => [p, isIgnored(rules, p)]));
      assert.deepEqual(got, c.paths);
    });
  }
});

describe('flux golden: conditions', () => {
  const g = readGolden<{
    cases: {
      name: string;
      before: FluxCondition[];
      set: {
        type: FluxConditionType;
        status: 'True' | 'False' | 'Unknown';
        reason: FluxReason;
        message: string;
      };
      generation: number;
      now: string;
      want: FluxCondition[];
    }[];
  }>('flux/conditions.json');
  for (const c of g.cases) {
    it(c.name, () => assert.deepEqual(setFluxCondition(c.before, c.set, c.generation, c.now), c.want));
  }
});
