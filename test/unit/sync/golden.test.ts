import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import { assessHealth, compareResource, type ResourceIgnoreDifferences } from '../../../src/sync/index.js';

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../golden/sync/${name}`, import.meta.url), 'utf8')) as T;

describe('golden: health', () => {
  const { cases } = load<{ cases: { name: string; object: KubeObject; want: unknown }[] }>('health.json');
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(assessHealth(c.object) ?? null, c.want));
  }
});

describe('golden: diff normalisation and ignoreDifferences', () => {
  const { cases } = load<{
    cases: {
      name: string;
      rules: ResourceIgnoreDifferences[];
      predicted: KubeObject;
      live: KubeObject | null;
      inSync: boolean;
    }[];
  }>('diff.json');
  for (const c of cases) {
    it(c.name, () =>
      assert.equal(compareResource(c.predicted, c.live ?? undefined, c.rules).inSync, c.inSync),
    );
  }
});
