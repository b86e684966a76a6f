import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  measurePromResponse,
  type PrometheusMetricSpec,
  type PromResponseBody,
  prometheusSpecProblem,
  resolveRange,
} from '../../../src/analysis/index.js';

interface ResponseCase {
  readonly name: string;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly body: PromResponseBody;
  readonly expect: {
    readonly phase: string;
    readonly value?: string;
    readonly message?: string;
    readonly messagePrefix?: string;
    readonly metadata?: Record<string, string>;
  };
}
interface RangeCase {
  readonly name: string;
  readonly rangeQuery: NonNullable<PrometheusMetricSpec['rangeQuery']>;
  readonly range?: { start: number; end: number; stepSeconds: number };
  readonly message?: string;
}

const file = fileURLToPath(new URL('../../golden/analysis/prometheus.json', import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8')) as {
  responses: ResponseCase[];
  spec: { name: string; spec: PrometheusMetricSpec; problem: string | null }[];
  ranges: RangeCase[];
};
const NOW = Date.parse('2024-05-01T12:00:00Z');

describe('measurePromResponse golden (Argo processResponse)', () => {
  for (const c of golden.responses) {
    it(c.name, () => {
      const conditions = { successCondition: c.successCondition, failureCondition: c.failureCondition };
      const out = measurePromResponse(conditions, c.body, { now: new Date(NOW) });
      assert.equal(out.phase, c.expect.phase, out.message);
      assert.equal(out.value, c.expect.value);
      assert.deepEqual(out.metadata, c.expect.metadata);
      if (c.expect.messagePrefix !== undefined)
        assert.ok(out.message?.startsWith(c.expect.messagePrefix), out.message);
      else assert.equal(out.message, c.expect.message);
    });
  }
});

describe('prometheusSpecProblem golden (Argo NewPrometheusAPI / NewPrometheusProvider)', () => {
  for (const c of golden.spec) {
    it(c.name, () => assert.equal(prometheusSpecProblem(c.spec) ?? null, c.problem));
  }
});

describe('resolveRange golden (Argo rangeQuery)', () => {
  for (const c of golden.ranges) {
    it(c.name, () => {
      const out = resolveRange(c.rangeQuery, NOW);
      if (c.message !== undefined) assert.deepEqual(out, { ok: false, message: c.message });
      else
        assert.deepEqual(out, {
          ok: true,
          range: {
            start: new Date(NOW + (c.range?.start ?? 0)),
            end: new Date(NOW + (c.range?.end ?? 0)),
            stepSeconds: c.range?.stepSeconds,
          },
        });
    });
  }
});
