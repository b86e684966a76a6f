// Reading Prometheus text exposition in a bench: sums of a metric's samples, and write-request
// counters grouped by some of their labels between two scrapes.

interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function samplesOf(text: string, name: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^(\S+?)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1] ?? '', x[2] ?? '']),
    );
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of every sample of `name`. */
export function sumSamples(text: string, name: string): number {
  return samplesOf(text, name).reduce((s, x) => s + x.value, 0);
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

/** Increase of a request counter between two scrapes, write verbs only, keyed by `by` labels. */
export function writesByLabels(
  before: string,
  after: string,
  name: string,
  by: readonly string[],
): Record<string, number> {
  const group = (text: string) => {
    const m = new Map<string, number>();
    for (const s of samplesOf(text, name)) {
      if (READ_VERBS.has((s.labels.verb ?? '').toLowerCase())) continue;
      const key = by.map((l) => s.labels[l] ?? '').join(' ');
      m.set(key, (m.get(key) ?? 0) + s.value);
    }
    return m;
  };
  const a = group(before);
  return Object.fromEntries(
    [...group(after)]
      .map(([k, v]) => [k, v - (a.get(k) ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .sort((x, y) => y[1] - x[1]),
  );
}
