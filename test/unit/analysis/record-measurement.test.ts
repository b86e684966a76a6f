import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type Measurement,
  type MetricResult,
  recordMeasurement,
  trimMeasurements,
} from '../../../src/analysis/index.js';

type Counters = Pick<
  MetricResult,
  'count' | 'successful' | 'failed' | 'inconclusive' | 'error' | 'consecutiveError' | 'consecutiveSuccess'
>;
const file = fileURLToPath(new URL('../../golden/analysis/record-measurement.json', import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8')) as {
  record: { name: string; previous: Counters; measurement: Measurement; expect: Counters }[];
  trim: {
    name: string;
    results: Record<string, string[]>;
    retention: Record<string, number>;
    expect: Record<string, string[]>;
  }[];
};
const NOW = Date.parse('2024-05-01T12:00:00Z');
const COUNTERS = [
  'count',
  'successful',
  'failed',
  'inconclusive',
  'error',
  'consecutiveError',
  'consecutiveSuccess',
] as const;

describe('recordMeasurement golden (Argo runMeasurements counters)', () => {
  for (const c of golden.record) {
    it(c.name, () => {
      const previous: MetricResult = { name: 'm', phase: 'Running', measurements: [], ...c.previous };
      const next = recordMeasurement({
        previous,
        name: 'm',
        measurement: c.measurement,
        replacesLast: false,
        dryRun: false,
        now: NOW,
      });
      for (const key of COUNTERS) assert.equal(next[key] ?? 0, c.expect[key] ?? 0, key);
      const last = next.measurements?.at(-1);
      assert.equal(last?.phase, c.measurement.phase);
      if (c.measurement.phase === 'Running') assert.equal(last?.finishedAt, undefined);
      else assert.equal(last?.finishedAt, new Date(NOW).toISOString());
    });
  }

  it('a resumed measurement replaces the in-flight one; a new result carries dryRun and metadata', () => {
    const first = recordMeasurement({
      previous: undefined,
      name: 'job',
      measurement: { phase: 'Running', startedAt: '2024-05-01T11:59:00.000Z' },
      replacesLast: false,
      dryRun: true,
      metadata: { 'job-name': 'x' },
      now: NOW,
    });
    assert.deepEqual(first, {
      name: 'job',
      phase: 'Running',
      dryRun: true,
      metadata: { 'job-name': 'x' },
      measurements: [{ phase: 'Running', startedAt: '2024-05-01T11:59:00.000Z' }],
    });
    const done = recordMeasurement({
      previous: first,
      name: 'job',
      measurement: { phase: 'Successful', startedAt: '2024-05-01T11:59:00.000Z' },
      replacesLast: true,
      dryRun: true,
      now: NOW,
    });
    assert.equal(done.measurements?.length, 1);
    assert.equal(done.measurements?.[0]?.phase, 'Successful');
    assert.deepEqual([done.count, done.successful, done.consecutiveSuccess], [1, 1, 1]);
  });
});

describe('trimMeasurements golden (Argo TestTrimMeasurementHistory)', () => {
  for (const c of golden.trim) {
    it(c.name, () => {
      const results: MetricResult[] = Object.entries(c.results).map(([name, values]) => ({
        name,
        phase: 'Running',
        measurements: values.map((value) => ({ phase: 'Successful', value })),
      }));
      const trimmed = trimMeasurements(results, new Map(Object.entries(c.retention)));
      const values = Object.fromEntries(
        trimmed.map((r) => [r.name, (r.measurements ?? []).map((m) => m.value)]),
      );
      assert.deepEqual(values, c.expect);
    });
  }
});
