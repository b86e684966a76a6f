import type { KubeObject } from '../../kube/index.js';
import {
  isControlledBy,
  POD_TEMPLATE_HASH_LABEL,
  type ReplicaSet,
  type Rollout,
  revisionOf,
} from '../../rollouts/index.js';
import { type Command, ExitCode, stringOption } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { printObject } from '../output.js';
import { NAMESPACE_OPTION, rolloutRef } from './rollout-common.js';

type RolloutObject = Rollout & KubeObject;
const GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const stepOf = (r: RolloutObject) => {
  const total = r.spec?.strategy?.canary?.steps?.length ?? 0;
  return total === 0 ? '-' : `${r.status?.currentStepIndex ?? 0}/${total}`;
};

export const rolloutListCommand: Command = {
  path: ['rollout', 'list'],
  summary: 'List Rollouts with their phase, step and replica counts',
  options: {
    ...NAMESPACE_OPTION,
    'all-namespaces': { type: 'boolean', short: 'A', description: 'every namespace' },
  },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const all = args.values['all-namespaces'] === true;
      const { items } = await client.listAll<RolloutObject>(
        GVK,
        all ? {} : { namespace: stringOption(args, 'namespace') ?? 'default' },
      );
      const rows = [['NAMESPACE', 'NAME', 'STATUS', 'STEP', 'DESIRED', 'CURRENT', 'UP-TO-DATE', 'AVAILABLE']];
      for (const r of items)
        rows.push([
          r.metadata.namespace ?? '',
          r.metadata.name ?? '',
          r.status?.phase ?? '',
          stepOf(r),
          String(r.spec?.replicas ?? 1),
          String(r.status?.replicas ?? 0),
          String(r.status?.updatedReplicas ?? 0),
          String(r.status?.availableReplicas ?? 0),
        ]);
      process.stdout.write(`${table(rows)}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};

export const rolloutGetCommand: Command = {
  path: ['rollout', 'get'],
  summary: 'Show a Rollout: status, step, pause, and its ReplicaSets',
  usage: 'NAME',
  options: {
    ...NAMESPACE_OPTION,
    output: { type: 'string', short: 'o', description: 'json or yaml (default: a table)' },
  },
  async run(args) {
    const ref = rolloutRef(args);
    const client = clientFromArgs(args);
    try {
      const rollout = await client.get<RolloutObject>({ ...GVK, ...ref });
      const format = stringOption(args, 'output');
      if (format !== undefined) {
        printObject(rollout, format);
        return ExitCode.Ok;
      }
      const s = rollout.status ?? {};
      const lines = [
        `Name:          ${ref.name}`,
        `Namespace:     ${ref.namespace}`,
        `Status:        ${s.phase ?? ''}${s.message ? ` (${s.message})` : ''}`,
        `Strategy:      Canary`,
        `  Step:        ${stepOf(rollout)}`,
        `  Pauses:      ${(s.pauseConditions ?? []).map((p) => `${p.reason} since ${p.startTime}`).join(', ') || '-'}`,
        `Images:        ${
          JSON.stringify(rollout.spec?.template?.spec?.containers ?? [])
            .match(/"image":"[^"]*"/g)
            ?.map((i) => i.slice(9, -1))
            .join(', ') ?? ''
        }`,
        `Replicas:      desired ${rollout.spec?.replicas ?? 1}, current ${s.replicas ?? 0}, updated ${s.updatedReplicas ?? 0}, ready ${s.readyReplicas ?? 0}, available ${s.availableReplicas ?? 0}`,
        '',
      ];
      const { items } = await client.listAll<ReplicaSet>(
        { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
        { namespace: ref.namespace },
      );
      const rows = [['REPLICASET', 'REVISION', 'ROLE', 'DESIRED', 'READY', 'AVAILABLE']];
      for (const rs of items
        .filter((x) => isControlledBy(x, rollout.metadata.uid))
        .sort((a, b) => revisionOf(b) - revisionOf(a))) {
        const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
        const role = [
          hash === s.stableRS ? 'stable' : '',
          hash === s.currentPodHash && hash !== s.stableRS ? 'canary' : '',
        ]
          .filter(Boolean)
          .join(',');
        rows.push([
          rs.metadata.name ?? '',
          String(revisionOf(rs)),
          role || '-',
          String(rs.spec?.replicas ?? 0),
          String(rs.status?.readyReplicas ?? 0),
          String(rs.status?.availableReplicas ?? 0),
        ]);
      }
      process.stdout.write(`${lines.join('\n')}${table(rows)}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
