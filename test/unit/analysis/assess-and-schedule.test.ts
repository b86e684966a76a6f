import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type AnalysisPhase,
  type AnalysisRunStatus,
  assessMetricStatus,
  assessRun,
  generateMetricTasks,
  type Measurement,
  type Metric,
  type MetricResult,
  nextReconcileTime,
} from '../../../src/analysis/index.js';

const golden = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../golden/analysis/${name}`, import.meta.url)), 'utf8'));

type MeasurementSpec = AnalysisPhase | { phase: AnalysisPhase; message?: string };
type ResultSpec = Omit<MetricResult, 'measurements' | 'phase' | 'name'> & {
  name?: string;
  phase?: AnalysisPhase;
  m: MeasurementSpec[];
};

const T0 = Date.parse('2024-05-01T12:00:00Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function toResult(name: string, spec: ResultSpec): MetricResult {
  const { m, ...rest } = spec;
  const measurements: Measurement[] = m.map((x) => {
    const phase = typeof x === 'string' ? x : x.phase;
    const message = typeof x === 'string' ? undefined : x.message;
    return {
      phase,
      startedAt: iso(0),
      ...(phase !== 'Running' && { finishedAt: iso(0) }),
      ...(message !== undefined && { message }),
    };
  });
  return { name, phase: 'Running', ...rest, measurements };
}

describe('assessMetricStatus golden', () => {
  const { cases } = golden('assess-metric.json') as {
    cases: {
      name: string;
      metric: Omit<Metric, 'provider'>;
      result: ResultSpec;
      terminating?: boolean;
      phase: AnalysisPhase;
      terminatingPhase?: AnalysisPhase;
    }[];
  };
  for (const c of cases) {
    it(c.name, () => {
      const metric = { provider: { web: { url: 'http://x' } }, ...c.metric };
      const result = toResult(metric.name, c.result);
      assert.equal(assessMetricStatus(metric, result, c.terminating === true), c.phase);
      if (c.terminatingPhase !== undefined)
        assert.equal(assessMetricStatus(metric, result, true), c.terminatingPhase, 'terminating');
    });
  }
});

describe('assessRun golden', () => {
  const { cases } = golden('assess-run.json') as {
    cases: {
      name: string;
      metrics: Omit<Metric, 'provider'>[];
      results: (ResultSpec & { name: string })[];
      terminate?: boolean;
      terminating?: boolean;
      dryRun?: string[];
      expect: {
        phase: AnalysisPhase;
        message: string;
        runSummary?: unknown;
        dryRunSummary?: unknown;
        metricPhases?: Record<string, AnalysisPhase>;
        metricMessages?: Record<string, string>;
      };
    }[];
  };
  for (const c of cases) {
    it(c.name, () => {
      const out = assessRun({
        metrics: c.metrics.map((m) => ({ provider: { web: { url: 'http://x' } }, ...m })),
        metricResults: c.results.map((r) => toResult(r.name, r)),
        terminate: c.terminate === true,
        terminating: c.terminating === true,
        dryRunMetrics: new Set(c.dryRun ?? []),
      });
      assert.equal(out.phase, c.expect.phase);
      assert.equal(out.message, c.expect.message);
      if (c.expect.runSummary) assert.deepEqual(out.runSummary, c.expect.runSummary);
      if (c.expect.dryRunSummary) assert.deepEqual(out.dryRunSummary, c.expect.dryRunSummary);
      for (const [name, phase] of Object.entries(c.expect.metricPhases ?? {}))
        assert.equal(out.metricResults.find((r) => r.name === name)?.phase, phase, name);
      for (const [name, message] of Object.entries(c.expect.metricMessages ?? {}))
        assert.equal(out.metricResults.find((r) => r.name === name)?.message, message, name);
    });
  }
});

describe('scheduling golden', () => {
  const { cases } = golden('schedule.json') as {
    cases: {
      name: string;
      metric: Omit<Metric, 'provider'>;
      startedAt?: number;
      now: number;
      terminating?: boolean;
      result?: {
        phase?: AnalysisPhase;
        count?: number;
        last: { phase: AnalysisPhase; finishedAt?: number; resumeAt?: number };
      };
      tasks: string[];
      next?: number | null;
      dueAt?: number;
      /** An Argo behaviour Slipway does not have yet: the case is skipped with this reason. */
      pending?: string;
    }[];
  };
  for (const c of cases) {
    it(c.name, c.pending !== undefined ? { skip: c.pending } : {}, () => {
      const metric = { provider: { web: { url: 'http://x' } }, ...c.metric };
      const status: AnalysisRunStatus = {
        ...(c.startedAt !== undefined && { startedAt: iso(c.startedAt) }),
        ...(c.result && {
          metricResults: [
            {
              name: metric.name,
              phase: c.result.phase ?? 'Running',
              ...(c.result.count !== undefined && { count: c.result.count }),
              measurements: [
                {
                  phase: c.result.last.phase,
                  startedAt: iso(0),
                  ...(c.result.last.finishedAt !== undefined && {
                    finishedAt: iso(c.result.last.finishedAt),
                  }),
                  ...(c.result.last.resumeAt !== undefined && { resumeAt: iso(c.result.last.resumeAt) }),
                },
              ],
            },
          ],
        }),
      };
      const tasks = generateMetricTasks([metric], status, T0 + c.now, c.terminating === true);
      assert.deepEqual(
        tasks.map((t) => (t.incomplete ? `${t.metric.name} (resume)` : t.metric.name)),
        c.tasks,
      );
      if (c.dueAt !== undefined) assert.equal(tasks[0]?.dueAt, T0 + c.dueAt);
      if (c.next !== undefined) {
        const next = nextReconcileTime([metric], status, T0 + c.now);
        assert.equal(next === undefined ? null : next - T0, c.next);
      }
    });
  }
});
