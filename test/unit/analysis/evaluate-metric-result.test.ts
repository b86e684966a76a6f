import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateMetricResult } from '../../../src/analysis/index.js';

interface GoldenCase {
  readonly name: string;
  readonly result: unknown;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly phase: string;
  readonly message?: string;
  readonly messageIncludes?: string;
}

const file = fileURLToPath(new URL('../../golden/analysis/evaluate-metric-result.json', import.meta.url));
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: GoldenCase[] };

/** `{"$num": "NaN" | "+Inf" | "-Inf"}` stands for the numbers JSON cannot hold. */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value !== 'object' || value === null) return value;
  if ('$num' in value)
    return value.$num === 'NaN' ? Number.NaN : value.$num === '-Inf' ? -Infinity : Infinity;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
}

describe('evaluateMetricResult golden', () => {
  for (const c of cases) {
    it(c.name, () => {
      const metric = { successCondition: c.successCondition, failureCondition: c.failureCondition };
      const assessment = evaluateMetricResult(metric, decode(c.result), {
        now: new Date('2024-05-01T12:00:00Z'),
      });
      assert.equal(assessment.phase, c.phase, assessment.message);
      if (c.message !== undefined) assert.equal(assessment.message, c.message);
      if (c.messageIncludes !== undefined)
        assert.ok(assessment.message?.includes(c.messageIncludes), assessment.message);
      if (c.phase !== 'Error') assert.equal(assessment.message, undefined);
    });
  }
});
