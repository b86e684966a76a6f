import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type AnalysisTemplateLike,
  type AnalysisTemplateRef,
  type Argument,
  type BuildAnalysisRunSpecOptions,
  buildAnalysisRunSpec,
  resolveTemplateRefs,
} from '../../../src/analysis/index.js';

interface GoldenCase {
  readonly name: string;
  readonly templates: AnalysisTemplateLike[];
  readonly args: Argument[];
  readonly options?: BuildAnalysisRunSpecOptions;
  readonly expect: unknown;
}

interface RefCase {
  readonly name: string;
  readonly store: Record<string, AnalysisTemplateLike>;
  readonly refs: AnalysisTemplateRef[];
  readonly expect: { ok: true; names: string[] } | { ok: false; message: string };
}

const file = fileURLToPath(new URL('../../golden/analysis/run-from-templates.json', import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8')) as { cases: GoldenCase[]; refCases: RefCase[] };

describe('buildAnalysisRunSpec golden', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      assert.deepEqual(buildAnalysisRunSpec(c.templates, c.args, c.options), c.expect);
    });
  }
});

describe('resolveTemplateRefs golden', () => {
  for (const c of golden.refCases) {
    it(c.name, () => {
      const key = (ref: AnalysisTemplateRef) =>
        `${ref.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'}/${ref.templateName}`;
      const result = resolveTemplateRefs(c.refs, (ref) => c.store[key(ref)]);
      if (c.expect.ok) {
        assert.ok(result.ok);
        assert.deepEqual(
          result.templates.map((t) => `${t.kind}/${t.metadata?.name}`),
          c.expect.names,
        );
      } else {
        assert.deepEqual(result, c.expect);
      }
    });
  }
});
