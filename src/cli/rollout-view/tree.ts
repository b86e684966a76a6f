/**
 * The upstream plugin's `kubectl argo rollouts get rollout` view, line for line: a summary, then the
 * tree of revisions → ReplicaSets → pods, Experiments → their ReplicaSets and runs, and
 * AnalysisRuns → Jobs. Pure: the caller reads the world.
 */

import type { AnalysisRunInfo, ExperimentInfo, ReplicaSetInfo } from './children-info.js';
import { alignColumns, paint } from './columns.js';
import { ageOf, humanDuration } from './human-duration.js';
import { analysisIcon, COLOR_OF, Icon, KindIcon, podIcon, replicaSetIcon, rolloutIcon } from './icons.js';
import { imagesOf, type RolloutInfo, type RolloutSnapshot, rolloutInfo } from './rollout-info.js';

export interface RenderOptions {
  readonly color: boolean;
}

type Row = [string, string, string, string, string];

/** `text` coloured as the plugin colours `key` (an icon, a tag or a phase). */
const colorer =
  (options: RenderOptions) =>
  (text: string, key = text): string =>
    paint(options.color, COLOR_OF[key], text);

/** The two prefixes of a child: its own line's, and its children's. */
const prefixes = (isLast: boolean, sub: string): [string, string] =>
  isLast ? [`${sub}└──`, `${sub}   `] : [`${sub}├──`, `${sub}│  `];

function scaleDownDelay(deadline: string, now: number): string {
  const at = Date.parse(deadline);
  if (Number.isNaN(at) || !/T/.test(deadline)) return '';
  return at < now ? 'passed' : humanDuration(at - now);
}

function replicaSetRows(
  rs: ReplicaSetInfo,
  prefix: string,
  sub: string,
  now: number,
  c: ReturnType<typeof colorer>,
): Row[] {
  let name = rs.name;
  const info: string[] = [];
  for (const tag of rs.tags) {
    info.push(c(tag));
    name = c(name, tag);
  }
  if (rs.scaleDownDeadline !== undefined && rs.scaleDownDeadline !== '')
    info.push(`delay:${scaleDownDelay(rs.scaleDownDeadline, now)}`);
  const rows: Row[] = [
    [
      `${prefix}${KindIcon.replicaSet} ${name}`,
      'ReplicaSet',
      `${c(replicaSetIcon(rs.status))} ${rs.status}`,
      ageOf(rs.creationTimestamp, now),
      info.join(','),
    ],
  ];
  rs.pods.forEach((pod, i) => {
    const [podPrefix] = prefixes(i === rs.pods.length - 1, sub);
    const podInfo = [`ready:${pod.ready}`, ...(pod.restarts > 0 ? [`restarts:${pod.restarts}`] : [])];
    rows.push([
      `${podPrefix}${KindIcon.pod} ${pod.name}`,
      'Pod',
      `${c(podIcon(pod.status))} ${pod.status}`,
      ageOf(pod.creationTimestamp, now),
      podInfo.join(','),
    ]);
  });
  return rows;
}

function analysisRunRows(
  run: AnalysisRunInfo,
  prefix: string,
  sub: string,
  now: number,
  c: ReturnType<typeof colorer>,
): Row[] {
  const counts: [string, number][] = [
    [Icon.ok, run.successful],
    [Icon.bad, run.failed],
    [Icon.unknown, run.inconclusive],
    [Icon.warning, run.error],
  ];
  const info = counts.filter(([, n]) => n > 0).map(([icon, n]) => `${c(icon)} ${n}`);
  const rows: Row[] = [
    [
      `${prefix}${KindIcon.analysisRun} ${c(run.name, run.status)}`,
      'AnalysisRun',
      `${c(analysisIcon(run.status))} ${run.status}`,
      ageOf(run.creationTimestamp, now),
      info.join(','),
    ],
  ];
  run.jobs.forEach((job, i) => {
    const [jobPrefix] = prefixes(i === run.jobs.length - 1, sub);
    rows.push([
      `${jobPrefix}${KindIcon.job} ${c(job.name, job.status)}`,
      'Job',
      `${c(analysisIcon(job.status))} ${job.status}`,
      ageOf(job.startedAt, now),
      '',
    ]);
  });
  return rows;
}

function experimentRows(
  e: ExperimentInfo,
  prefix: string,
  sub: string,
  now: number,
  c: ReturnType<typeof colorer>,
): Row[] {
  const rows: Row[] = [
    [
      `${prefix}${KindIcon.experiment} ${c(e.name, e.status)}`,
      'Experiment',
      `${c(analysisIcon(e.status))} ${e.status}`,
      ageOf(e.creationTimestamp, now),
      '',
    ],
  ];
  const total = e.replicaSets.length + e.analysisRuns.length;
  let index = 0;
  for (const rs of e.replicaSets) {
    const [p, s] = prefixes(index++ === total - 1, sub);
    rows.push(...replicaSetRows(rs, p, s, now, c));
  }
  for (const run of e.analysisRuns) {
    const [p, s] = prefixes(index++ === total - 1, sub);
    rows.push(...analysisRunRows(run, p, s, now, c));
  }
  return rows;
}

function treeRows(info: RolloutInfo, now: number, c: ReturnType<typeof colorer>): Row[] {
  const rows: Row[] = [
    ['NAME', 'KIND', 'STATUS', 'AGE', 'INFO'],
    [
      `${KindIcon.rollout} ${info.name}`,
      'Rollout',
      `${c(rolloutIcon(info.status))} ${info.status}`,
      ageOf(info.creationTimestamp, now),
      '',
    ],
  ];
  const revisions = [...new Set([...info.replicaSets, ...info.analysisRuns].map((x) => x.revision))].sort(
    (a, b) => b - a,
  );
  revisions.forEach((revision, ri) => {
    const [prefix, sub] = prefixes(ri === revisions.length - 1, '');
    rows.push([`${prefix}${KindIcon.revision} revision:${revision}`, '', ' ', '', '']);
    const sets = info.replicaSets.filter((rs) => rs.revision === revision);
    const experiments = info.experiments.filter((e) => e.revision === revision);
    const runs = info.analysisRuns.filter((run) => run.revision === revision);
    const total = sets.length + experiments.length + runs.length;
    let index = 0;
    for (const rs of sets) {
      const [p, s] = prefixes(index++ === total - 1, sub);
      rows.push(...replicaSetRows(rs, p, s, now, c));
    }
    for (const e of experiments) {
      const [p, s] = prefixes(index++ === total - 1, sub);
      rows.push(...experimentRows(e, p, s, now, c));
    }
    for (const run of runs) {
      const [p, s] = prefixes(index++ === total - 1, sub);
      rows.push(...analysisRunRows(run, p, s, now, c));
    }
  });
  return rows;
}

const field = (label: string, value: string | number) => `${label.padEnd(17)}${value}`.trimEnd();

/** The summary lines (Name … Replicas) of `get rollout`. */
function summaryLines(info: RolloutInfo, c: ReturnType<typeof colorer>): string[] {
  const lines = [
    field('Name:', info.name),
    field('Namespace:', info.namespace),
    field('Status:', `${c(rolloutIcon(info.status))} ${info.status}`),
  ];
  if (info.message !== '') lines.push(field('Message:', info.message));
  lines.push(field('Strategy:', info.strategy));
  if (info.strategy === 'Canary')
    lines.push(
      field('  Step:', info.step),
      field('  SetWeight:', info.setWeight),
      field('  ActualWeight:', info.actualWeight),
    );
  imagesOf(info).forEach(({ image, tags }, i) => {
    const text = tags.length > 0 ? `${image} (${tags.map((t) => c(t)).join(', ')})` : image;
    lines.push(field(i === 0 ? 'Images:' : '', text));
  });
  lines.push(
    'Replicas:',
    field('  Desired:', info.desired),
    field('  Current:', info.current),
    field('  Updated:', info.updated),
    field('  Ready:', info.ready),
    field('  Available:', info.available),
  );
  return lines;
}

export function renderRollout(snap: RolloutSnapshot, options: RenderOptions): string {
  const info = rolloutInfo(snap);
  const c = colorer(options);
  return `${[...summaryLines(info, c), '', ...alignColumns(treeRows(info, snap.now, c))].join('\n')}\n`;
}
