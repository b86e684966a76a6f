// Printing `bench/sync --against flux`: one block per run, then a table of every run with the ratios of
// the medians over rounds (Slipway / Flux), in the style of rollout-report.ts.
import { median } from './rollout-report.js';
import type { SyncImplementationName } from './sync-controllers.js';
import type { SyncScenarioResult } from './sync-scenario.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');

export function printSyncRun(r: SyncScenarioResult, round: number): void {
  out(`-- round ${round}: ${r.label}, N=${r.n}`);
  out(
    `   cold → all done: ${(r.coldToAllDoneMs / 1000).toFixed(1)} s (${r.done}/${r.n}${r.done < r.n ? ', TIMED OUT' : ''})`,
  );
  out(
    `   peak RSS ${r.peakRssMiB} MiB, CPU ${r.cpuSeconds} s (${r.processes} process${r.processes > 1 ? 'es' : ''})`,
  );
  out(`   load average at start ${load(r.load.start)}, at end ${load(r.load.end)}`);
}

const METRICS = [
  { name: 'cold → all done (s)', of: (r: SyncScenarioResult) => r.coldToAllDoneMs / 1000 },
  { name: 'peak RSS (MiB)', of: (r: SyncScenarioResult) => r.peakRssMiB },
  { name: 'CPU (s)', of: (r: SyncScenarioResult) => r.cpuSeconds },
] as const;

export interface SyncComparison {
  readonly metric: string;
  readonly values: Partial<Record<SyncImplementationName, number[]>>;
  /** Median of each Slipway implementation over Flux's median. */
  readonly ratios: Partial<Record<SyncImplementationName, number>>;
  /** Slipway's flux module (Kustomizations) over its sync module (Applications), medians. */
  readonly fluxModuleOverSync?: number;
}

export function compareSync(results: readonly SyncScenarioResult[]): SyncComparison[] {
  const names = [...new Set(results.map((r) => r.implementation))];
  return METRICS.map((m) => {
    const values: Partial<Record<SyncImplementationName, number[]>> = {};
    for (const name of names)
      values[name] = results.filter((r) => r.implementation === name && r.done === r.n).map(m.of);
    const flux = median(values.flux ?? []);
    const ratios: Partial<Record<SyncImplementationName, number>> = {};
    for (const name of names)
      if (name !== 'flux') ratios[name] = Math.round((median(values[name] ?? []) / flux) * 100) / 100;
    const fluxModuleOverSync =
      Math.round((median(values['slipway-flux'] ?? []) / median(values.slipway ?? [])) * 100) / 100;
    return {
      metric: m.name,
      values,
      ratios,
      ...(Number.isFinite(fluxModuleOverSync) && { fluxModuleOverSync }),
    };
  });
}

export function printSyncComparison(rows: readonly SyncComparison[], labels: Record<string, string>): void {
  const names = Object.keys(rows[0]?.values ?? {}) as SyncImplementationName[];
  const fmt = (xs: readonly number[] | undefined) =>
    (xs ?? []).map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(1))).join(' / ') || '—';
  const ratioNames = names.includes('flux') ? names.filter((n) => n !== 'flux') : [];
  const moduleRatio = names.includes('slipway') && names.includes('slipway-flux');
  const ratioHeads = [
    ...ratioNames.map((n) => `${n} / flux`),
    ...(moduleRatio ? ['slipway-flux / slipway'] : []),
  ];
  const shown = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? String(x) : '—');
  out('');
  out(`| metric | ${[...names.map((n) => `${labels[n] ?? n} (each round)`), ...ratioHeads].join(' | ')} |`);
  out(`|---|${names.map(() => '---|').join('')}${ratioHeads.map(() => '---|').join('')}`);
  for (const r of rows)
    out(
      `| ${[
        r.metric,
        ...names.map((n) => fmt(r.values[n])),
        ...ratioNames.map((n) => shown(r.ratios[n])),
        ...(moduleRatio ? [shown(r.fluxModuleOverSync)] : []),
      ].join(' | ')} |`,
    );
}
