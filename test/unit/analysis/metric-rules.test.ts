import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  dryRunMetricNames,
  type MeasurementRetention,
  type Metric,
  retentionLimits,
  validateMetrics,
} from '../../../src/analysis/index.js';

type MetricSpec = Omit<Metric, 'provider'> & { provider?: Metric['provider'] };
interface ValidateCase {
  readonly name: string;
  readonly metrics: MetricSpec[];
  readonly error: string | null;
}
interface DryRunCase {
  readonly name: string;
  readonly metrics: string[];
  readonly rules: string[];
  readonly names?: string[];
  readonly error?: string;
}
interface RetentionCase {
  readonly name: string;
  readonly metrics: string[];
  readonly rules: MeasurementRetention[];
  readonly limits?: Record<string, number>;
  readonly error?: string;
}

const file = fileURLToPath(new URL('../../golden/analysis/metric-rules.json', import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8')) as {
  validate: ValidateCase[];
  dryRun: DryRunCase[];
  retention: RetentionCase[];
};
const metricsNamed = (names: readonly string[]): Metric[] =>
  names.map((name) => ({ name, provider: { prometheus: {} } }));

describe('validateMetrics golden (Argo TestValidateMetrics)', () => {
  for (const c of golden.validate) {
    it(c.name, () => {
      const metrics = c.metrics.map((m) => ({ provider: { prometheus: {} }, ...m }));
      assert.equal(validateMetrics(metrics) ?? null, c.error);
    });
  }
});

describe('dryRunMetricNames golden (Argo TestGetDryRunMetrics)', () => {
  for (const c of golden.dryRun) {
    it(c.name, () => {
      const out = dryRunMetricNames(
        c.rules.map((metricName) => ({ metricName })),
        metricsNamed(c.metrics),
      );
      if (c.error !== undefined) assert.deepEqual(out, { ok: false, message: c.error });
      else assert.deepEqual(out, { ok: true, value: new Set(c.names) });
    });
  }
});

describe('retentionLimits golden (Argo TestGetMeasurementRetentionMetrics)', () => {
  for (const c of golden.retention) {
    it(c.name, () => {
      const out = retentionLimits(c.rules, metricsNamed(c.metrics));
      if (c.error !== undefined) assert.deepEqual(out, { ok: false, message: c.error });
      else assert.deepEqual(out, { ok: true, value: new Map(Object.entries(c.limits ?? {})) });
    });
  }
});
