import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricView } from '../rollout-detail.js';
import { html } from './html.js';

const COLORS = { value: '#1f5fbf', success: '#137333', failure: '#b3261e' } as const;

/** One metric's measurements over time, with its success and failure thresholds as dashed lines. */
export function MetricChart({ metric }: { metric: MetricView }) {
  const box = useRef<HTMLDivElement>(null);
  const points = metric.measurements.filter((m) => m.value !== undefined && m.at > 0);
  useEffect(() => {
    const el = box.current;
    if (el === null || points.length === 0) return;
    const xs = points.map((p) => p.at / 1000);
    const series: uPlot.Series[] = [
      {},
      { label: metric.name, stroke: COLORS.value, width: 2, points: { show: true, size: 7 } },
    ];
    const data: (number | null)[][] = [xs, points.map((p) => p.value ?? null)];
    for (const t of metric.thresholds) {
      series.push({
        label: `${t.kind} ${t.op} ${t.value}`,
        stroke: COLORS[t.kind],
        dash: [6, 4],
        width: 1.5,
        points: { show: false },
      });
      data.push(xs.map(() => t.value));
    }
    const plot = new uPlot(
      {
        width: Math.min(640, el.clientWidth || 640),
        height: 200,
        series,
        scales: { x: { time: true } },
        legend: { show: true },
      },
      data as uPlot.AlignedData,
      el,
    );
    return () => plot.destroy();
  }, [JSON.stringify(points), JSON.stringify(metric.thresholds)]);
  const summary =
    points.length === 0
      ? 'no numeric measurements yet'
      : `${points.length} measurement(s), last ${points.at(-1)?.value}` +
        (metric.thresholds.length > 0
          ? `; thresholds ${metric.thresholds.map((t) => `${t.kind} when ${t.op} ${t.value}`).join(', ')}`
          : '');
  return html`<figure class="chart" data-points=${points.length}>
    <div ref=${box} role="img" aria-label=${`${metric.name}: ${summary}`}></div>
    <figcaption>${summary}</figcaption>
  </figure>`;
}
