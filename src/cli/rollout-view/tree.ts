import type { KubeObject } from '../../kube/index.js';

/** Everything the rollout view shows, read by the caller; rendering is pure. */
export interface RolloutSnapshot {
  readonly rollout: KubeObject & {
    spec?: { replicas?: number; strategy?: { canary?: { steps?: readonly Record<string, unknown>[] } } };
    status?: {
      phase?: string;
      message?: string;
      currentStepIndex?: number;
      stableRS?: string;
      currentPodHash?: string;
      replicas?: number;
      updatedReplicas?: number;
      readyReplicas?: number;
      availableReplicas?: number;
      canary?: { weights?: { canary?: { weight?: number } } };
    };
  };
  readonly replicaSets: readonly (KubeObject & {
    spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
    status?: { readyReplicas?: number; availableReplicas?: number };
  })[];
  readonly pods: readonly (KubeObject & {
    status?: { phase?: string; containerStatuses?: { ready?: boolean }[] };
    spec?: { containers?: unknown[] };
  })[];
  readonly analysisRuns: readonly (KubeObject & {
    status?: {
      phase?: string;
      metricResults?: { successful?: number; failed?: number; error?: number; inconclusive?: number }[];
    };
  })[];
  /** Milliseconds since the epoch, for ages. */
  readonly now: number;
}

export interface RenderOptions {
  readonly color: boolean;
}

const ICON: Record<string, string> = {
  Healthy: '✔',
  Successful: '✔',
  Running: '◌',
  Progressing: '◌',
  Pending: '◌',
  Paused: '॥',
  Degraded: '✖',
  Failed: '✖',
  Error: '⚠',
  Inconclusive: '⚠',
  ScaledDown: '•',
};
const COLOR: Record<string, string> = {
  Healthy: '32',
  Successful: '32',
  Running: '36',
  Progressing: '33',
  Pending: '33',
  Paused: '33',
  Degraded: '31',
  Failed: '31',
  Error: '31',
  Inconclusive: '33',
  ScaledDown: '2',
};

function age(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const revision = (o: KubeObject) => Number(o.metadata.annotations?.['rollout.argoproj.io/revision'] ?? 0);
const hashOf = (o: KubeObject) => o.metadata.labels?.['rollouts-pod-template-hash'] ?? '';

/** The upstream plugin's `get rollout` view: a summary, then revisions → ReplicaSets → pods and runs. */
export function renderRollout(snap: RolloutSnapshot, options: RenderOptions): string {
  const paint = (status: string, text: string) =>
    options.color && COLOR[status] ? `\u001b[${COLOR[status]}m${text}\u001b[0m` : text;
  const badge = (status: string) => paint(status, `${ICON[status] ?? '?'} ${status}`);
  const r = snap.rollout;
  const s = r.status ?? {};
  const steps = r.spec?.strategy?.canary?.steps ?? [];
  const setWeight = steps
    .slice(0, Math.min(s.currentStepIndex ?? 0, steps.length))
    .reduce<number | undefined>(
      (w, step) => (typeof step.setWeight === 'number' ? step.setWeight : w),
      undefined,
    );
  const images = new Map<string, string[]>();
  for (const rs of snap.replicaSets) {
    if ((rs.spec?.replicas ?? 0) === 0) continue;
    const role = hashOf(rs) === s.stableRS ? 'stable' : hashOf(rs) === s.currentPodHash ? 'canary' : 'old';
    for (const c of rs.spec?.template?.spec?.containers ?? []) {
      if (c.image) images.set(c.image, [...(images.get(c.image) ?? []), role]);
    }
  }
  const out = [
    `Name:            ${r.metadata.name}`,
    `Namespace:       ${r.metadata.namespace}`,
    `Status:          ${badge(s.phase ?? 'Progressing')}`,
    ...(s.message ? [`Message:         ${s.message}`] : []),
    'Strategy:        Canary',
    `  Step:          ${s.currentStepIndex ?? 0}/${steps.length}`,
    `  SetWeight:     ${s.currentStepIndex !== undefined && s.currentStepIndex >= steps.length ? 100 : (setWeight ?? 0)}`,
    `  ActualWeight:  ${s.canary?.weights?.canary?.weight ?? '-'}`,
    `Images:          ${[...images].map(([img, roles]) => `${img} (${roles.join(', ')})`).join('\n                 ') || '-'}`,
    'Replicas:',
    `  Desired:       ${r.spec?.replicas ?? 1}`,
    `  Current:       ${s.replicas ?? 0}`,
    `  Updated:       ${s.updatedReplicas ?? 0}`,
    `  Ready:         ${s.readyReplicas ?? 0}`,
    `  Available:     ${s.availableReplicas ?? 0}`,
    '',
  ];
  const rows: [string, string, string, string, string][] = [['NAME', 'KIND', 'STATUS', 'AGE', 'INFO']];
  rows.push([
    `⟳ ${r.metadata.name}`,
    'Rollout',
    badge(s.phase ?? 'Progressing'),
    age(r.metadata.creationTimestamp, snap.now),
    '',
  ]);
  const revisions = [...new Set(snap.replicaSets.map(revision))].sort((a, b) => b - a);
  revisions.forEach((rev, ri) => {
    const lastRev = ri === revisions.length - 1;
    rows.push([`${lastRev ? '└' : '├'}──# revision:${rev}`, '', '', '', '']);
    const indent = lastRev ? '   ' : '│  ';
    const children: [string, string, string, string, string, string[][]][] = [];
    for (const rs of snap.replicaSets.filter((x) => revision(x) === rev)) {
      const desired = rs.spec?.replicas ?? 0;
      const status =
        desired === 0
          ? 'ScaledDown'
          : (rs.status?.availableReplicas ?? 0) >= desired
            ? 'Healthy'
            : 'Progressing';
      const info = [
        hashOf(rs) === s.stableRS ? 'stable' : '',
        hashOf(rs) === s.currentPodHash && hashOf(rs) !== s.stableRS ? 'canary' : '',
      ]
        .filter(Boolean)
        .join(',');
      const pods = snap.pods
        .filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === rs.metadata.uid))
        .map((p) => {
          const ready = (p.status?.containerStatuses ?? []).filter((c) => c.ready).length;
          const phase = p.status?.phase ?? 'Pending';
          const st = phase === 'Running' ? 'Running' : phase === 'Failed' ? 'Failed' : 'Pending';
          return [
            `□ ${p.metadata.name}`,
            'Pod',
            badge(st),
            age(p.metadata.creationTimestamp, snap.now),
            `ready:${ready}/${p.spec?.containers?.length ?? 1}`,
          ];
        });
      children.push([
        `⧉ ${rs.metadata.name}`,
        'ReplicaSet',
        badge(status),
        age(rs.metadata.creationTimestamp, snap.now),
        info,
        pods,
      ]);
    }
    for (const run of snap.analysisRuns.filter(
      (a) => hashOf(a) !== '' && snap.replicaSets.some((x) => revision(x) === rev && hashOf(x) === hashOf(a)),
    )) {
      const m = run.status?.metricResults ?? [];
      const count = (k: 'successful' | 'failed' | 'error') => m.reduce((n, x) => n + (x[k] ?? 0), 0);
      const info = [
        `✔ ${count('successful')}`,
        count('failed') ? `✖ ${count('failed')}` : '',
        count('error') ? `⚠ ${count('error')}` : '',
      ]
        .filter(Boolean)
        .join(',');
      children.push([
        `α ${run.metadata.name}`,
        'AnalysisRun',
        badge(run.status?.phase ?? 'Pending'),
        age(run.metadata.creationTimestamp, snap.now),
        info,
        [],
      ]);
    }
    children.forEach(([name, kind, status, a, info, pods], ci) => {
      const lastChild = ci === children.length - 1;
      rows.push([`${indent}${lastChild ? '└' : '├'}──${name}`, kind, status, a, info]);
      pods.forEach((p, pi) => {
        rows.push([
          `${indent}${lastChild ? '   ' : '│  '}${pi === pods.length - 1 ? '└' : '├'}──${p[0]}`,
          p[1]!,
          p[2]!,
          p[3]!,
          p[4]!,
        ]);
      });
    });
  });
  const visible = (t: string) => t.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => visible(row[i]!))));
  for (const row of rows) {
    out.push(
      row
        .map((c, i) => (i < 4 ? c + ' '.repeat(widths[i]! - visible(c)) : c))
        .join('  ')
        .trimEnd(),
    );
  }
  return `${out.join('\n')}\n`;
}
