// Printing the Rollout bench: one block per run, then (side by side) a table of every run with the
// ratios Slipway / Argo of the medians over rounds.
import type { ScenarioResult } from './rollout-scenario.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');
const entries = (r: Record<string, number> | undefined) =>
  Object.entries(r ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function printRun(r: ScenarioResult, round: number): void {
  out(`-- round ${round}: ${r.label}, N=${r.n}, ${r.replicas} replicas`);
  out(`   created → all Healthy: ${(r.createToAllHealthyMs / 1000).toFixed(1)} s`);
  if (r.settledRssMiB !== undefined) {
    out(
      `   idle: settled RSS ${r.settledRssMiB} MiB (peak ${r.peakRssMiB} MiB), CPU while settling ${r.cpuSeconds} s`,
    );
    out(
      `   while settling: ${r.reconciles ?? '?'} reconciles; Events about Rollouts by reason: ${entries(r.eventsByReason) || 'none'}`,
    );
  }
  if (r.timeToAllHealthyMs !== undefined && r.addedLatencyMs !== undefined) {
    const t = r.addedLatencyByTriggerMs ?? {};
    out(
      `   updated at once → all Healthy in ${(r.timeToAllHealthyMs / 1000).toFixed(1)} s; last Event about a Rollout ${((r.eventsDrainedAfterMs ?? 0) / 1000).toFixed(1)} s later (writes below counted until then)`,
    );
    out(
      `   added latency per step: p50 ${r.addedLatencyMs.p50} ms, p99 ${r.addedLatencyMs.p99} ms (${r.addedLatencyMs.samples} samples); after ReplicaSets ready p50/p99 ${t.ready?.p50}/${t.ready?.p99} ms, after a pause ${t.pause?.p50}/${t.pause?.p99} ms`,
    );
    if (t.update !== undefined)
      out(`   reaction to the update itself: p50 ${t.update.p50} ms, p99 ${t.update.p99} ms`);
    const p = r.updatePath;
    if (p !== undefined)
      out(
        `   per Rollout, update → Healthy p50 ${p.totalP50Ms} ms, of which the controller's reactions p50 ${p.controllerP50Ms} ms; slowest ${p.slowestTotalMs} ms (${p.slowestOthersMs} ms not the controller's); with a controller adding 0 ms, all Healthy ≥ ${(p.othersMaxMs / 1000).toFixed(1)} s`,
      );
    out(`   controller: peak RSS ${r.peakRssMiB} MiB, CPU ${r.cpuSeconds} s during the update`);
    out(
      `   API server writes (everyone's): ${r.apiWrites?.total}: ${(r.apiWrites?.top ?? []).map((w) => `${w.what} ${w.count}`).join(', ')}`,
    );
    const w = r.controllerWrites;
    if (w !== undefined) {
      out(
        `   controller's writes: ${w.total} (${w.perRolloutStepTotal} per Rollout per step): ${entries(w.byKind)}`,
      );
      out(`     per Rollout per step: ${entries(w.perRolloutStep)}`);
    }
    out(`   Events about Rollouts by reason: ${entries(r.eventsByReason)}`);
    if (r.reconciles !== undefined)
      out(`   reconciles: ${r.reconciles} (${r.reconcilesPerRolloutStep} per Rollout per step)`);
  }
  if (r.details !== undefined) out(`   ${r.implementation}'s own figures: ${JSON.stringify(r.details)}`);
  out(`   load average at start ${load(r.load.start)}, at end ${load(r.load.end)}`);
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

interface Metric {
  readonly name: string;
  readonly of: (r: ScenarioResult) => number | undefined;
}

const METRICS: readonly Metric[] = [
  { name: 'created → all Healthy (s)', of: (r) => r.createToAllHealthyMs / 1000 },
  { name: 'update → all Healthy (s)', of: (r) => (r.timeToAllHealthyMs ?? Number.NaN) / 1000 },
  { name: 'added latency p50 (ms)', of: (r) => r.addedLatencyMs?.p50 },
  { name: 'added latency p99 (ms)', of: (r) => r.addedLatencyMs?.p99 },
  { name: 'update reaction p99 (ms)', of: (r) => r.addedLatencyByTriggerMs?.update?.p99 },
  { name: "controller's part of a Rollout's update p50 (ms)", of: (r) => r.updatePath?.controllerP50Ms },
  {
    name: 'floor: all Healthy with a 0 ms controller (s)',
    of: (r) => (r.updatePath?.othersMaxMs ?? Number.NaN) / 1000,
  },
  { name: 'peak RSS (MiB)', of: (r) => r.peakRssMiB },
  { name: 'settled RSS (MiB)', of: (r) => r.settledRssMiB },
  { name: 'CPU (s)', of: (r) => r.cpuSeconds },
  { name: 'controller writes', of: (r) => r.controllerWrites?.total },
  { name: 'writes / Rollout / step', of: (r) => r.controllerWrites?.perRolloutStepTotal },
  { name: 'Events', of: (r) => r.controllerWrites?.byKind.Events },
  { name: 'all API writes', of: (r) => r.apiWrites?.total },
  { name: 'reconciles', of: (r) => r.reconciles },
];

export interface Comparison {
  readonly metric: string;
  readonly slipway: number[];
  readonly argo: number[];
  readonly ratio: number;
}

/** Per metric: each round's value for both implementations and the ratio of their medians. */
export function compare(results: readonly ScenarioResult[]): Comparison[] {
  const rows: Comparison[] = [];
  for (const m of METRICS) {
    const values = (name: string) =>
      results
        .filter((r) => r.implementation === name)
        .map((r) => m.of(r))
        .filter((x): x is number => x !== undefined && Number.isFinite(x));
    const slipway = values('slipway');
    const argo = values('argo');
    if (slipway.length === 0 && argo.length === 0) continue;
    rows.push({
      metric: m.name,
      slipway,
      argo,
      ratio: Math.round((median(slipway) / median(argo)) * 100) / 100,
    });
  }
  return rows;
}

export function printComparison(rows: readonly Comparison[], argoLabel: string): void {
  const fmt = (xs: readonly number[]) =>
    xs.map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(1))).join(' / ');
  out('');
  out(`| metric | Slipway (each round) | ${argoLabel} (each round) | Slipway / Argo (medians) |`);
  out('|---|---|---|---|');
  for (const r of rows)
    out(`| ${r.metric} | ${fmt(r.slipway)} | ${fmt(r.argo)} | ${Number.isFinite(r.ratio) ? r.ratio : '—'} |`);
}
