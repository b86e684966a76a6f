import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  type ApplicationSet,
  type ClusterSecret,
  type GitContentReader,
  generateApplications,
  gitPathspecMatch,
  validateGeneratedApplications,
} from '../../../src/applicationsets/index.js';

type GeneratedApp = { metadata: { name: string } & Record<string, unknown>; spec: unknown };

interface Case {
  readonly name: string;
  readonly appSet: ApplicationSet['spec'];
  readonly clusters?: (Omit<ClusterSecret, 'labels' | 'annotations'> & Partial<ClusterSecret>)[];
  readonly repo?: Record<string, string>;
  readonly expect: {
    readonly apps?: { metadata: Record<string, unknown>; spec?: unknown }[];
    readonly error?: { reason: string; message: string };
    readonly invalid?: Record<string, string>;
  };
}

const cases = parse(
  readFileSync(new URL('../../golden/applicationsets/generators.yaml', import.meta.url), 'utf8'),
) as Case[];

/** A repository in memory: directories derived from the file paths, files matched as git pathspecs. */
export function memoryRepo(files: Record<string, string>): GitContentReader {
  const dirs = new Set<string>();
  for (const p of Object.keys(files)) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return {
    directories: async () => [...dirs].sort().filter((d) => !d.split('/').some((s) => s.startsWith('.'))),
    files: async (_url, _rev, pattern) =>
      new Map(Object.entries(files).filter(([p]) => gitPathspecMatch(pattern, p))),
  };
}

describe('applicationsets: generators and templates (golden)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const appSet = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'seed', namespace: 'argocd' },
        spec: c.appSet,
      } as ApplicationSet;
      const outcome = await generateApplications(appSet, {
        appSetName: 'seed',
        mode: {
          goTemplate: c.appSet.goTemplate === true,
          goTemplateOptions: c.appSet.goTemplateOptions ?? [],
        },
        clusterSecrets: () => (c.clusters ?? []).map((s) => ({ labels: {}, annotations: {}, ...s })),
        git: memoryRepo(c.repo ?? {}),
        maxParamSets: 1000,
      });
      if (c.expect.error !== undefined) {
        assert.equal(outcome.ok, false, 'expected an error');
        if (outcome.ok) return;
        assert.equal(outcome.reason, c.expect.error.reason);
        assert.ok(outcome.message.includes(c.expect.error.message), outcome.message);
        return;
      }
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      if (!outcome.ok) return;
      if (c.expect.invalid !== undefined) {
        const invalid = validateGeneratedApplications('seed', outcome.apps);
        assert.deepEqual(Object.fromEntries(invalid), c.expect.invalid);
      }
      if (c.expect.apps === undefined) return;
      assert.deepEqual(
        outcome.apps.map((a) => a.metadata.name),
        c.expect.apps.map((a) => a.metadata.name),
      );
      for (const [i, want] of c.expect.apps.entries()) {
        const got: GeneratedApp = outcome.apps[i]!;
        for (const [k, v] of Object.entries(want.metadata))
          assert.deepEqual(
            (got.metadata as Record<string, unknown>)[k],
            v,
            `${got.metadata.name}: metadata.${k}`,
          );
        if (want.spec !== undefined) assert.deepEqual(got.spec, want.spec, `${got.metadata.name}: spec`);
      }
    });
  }
});
