import type { KubeObject } from '../../kube/index.js';
import { isControlledBy, type ReplicaSet, type Rollout } from '../../rollouts/index.js';
import { type Command, ExitCode, stringOption } from '../command.js';
import { cliEnvironment } from '../environment.js';
import { clientFromArgs } from '../kube-options.js';
import { formatTable, OUTPUT_OPTION, printIfRequested, printObject } from '../output.js';
import { type RolloutSnapshot, renderRollout } from '../rollout-view/tree.js';
import { NAMESPACE_OPTION, namespaceOf, rolloutName } from './rollout-common.js';

type RolloutObject = Rollout & KubeObject;
const GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;

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
    ...OUTPUT_OPTION,
  },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const all = args.values['all-namespaces'] === true;
      const { items } = await client.listAll<RolloutObject>(
        GVK,
        all ? {} : { namespace: namespaceOf(args, client) },
      );
      if (printIfRequested(args, items)) return ExitCode.Ok;
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
      process.stdout.write(`${formatTable(rows)}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};

async function readSnapshot(
  client: ReturnType<typeof clientFromArgs>,
  ref: { namespace: string; name: string },
): Promise<RolloutSnapshot> {
  const rollout = await client.get<RolloutObject>({ ...GVK, ...ref });
  const uid = rollout.metadata.uid;
  const [rs, pods, runs] = await Promise.all([
    client.listAll<ReplicaSet & KubeObject>(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      { namespace: ref.namespace },
    ),
    client.listAll({ apiVersion: 'v1', kind: 'Pod' }, { namespace: ref.namespace }),
    client
      .listAll({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' }, { namespace: ref.namespace })
      .catch(() => ({ items: [] })),
  ]);
  const replicaSets = rs.items.filter((x) => isControlledBy(x, uid));
  const rsUids = new Set(replicaSets.map((x) => x.metadata.uid));
  return {
    rollout: rollout as RolloutSnapshot['rollout'],
    replicaSets: replicaSets as unknown as RolloutSnapshot['replicaSets'],
    pods: pods.items.filter((p) => p.metadata.ownerReferences?.some((o) => rsUids.has(o.uid))),
    analysisRuns: runs.items.filter((a) => a.metadata.ownerReferences?.some((o) => o.uid === uid)),
    now: Date.now(),
  };
}

export const rolloutGetCommand: Command = {
  path: ['rollout', 'get'],
  summary:
    'Show a Rollout as a tree: status, step and weight, revisions, ReplicaSets, pods and analysis runs',
  usage: 'NAME',
  options: {
    ...NAMESPACE_OPTION,
    output: { type: 'string', short: 'o', description: 'json or yaml (default: the tree)' },
    watch: {
      type: 'boolean',
      short: 'w',
      description: 'keep watching and redraw on every change (Ctrl-C to stop)',
    },
    timeout: { type: 'string', description: 'with --watch: stop after this many seconds' },
    'no-color': { type: 'boolean', description: 'never colour (default: colour on a terminal)' },
  },
  async run(args) {
    const name = rolloutName(args);
    const client = clientFromArgs(args);
    const ref = { namespace: namespaceOf(args, client), name };
    try {
      const format = stringOption(args, 'output');
      if (format !== undefined) {
        printObject(await client.get<RolloutObject>({ ...GVK, ...ref }), format);
        return ExitCode.Ok;
      }
      const tty = process.stdout.isTTY === true;
      const color = tty && args.values['no-color'] !== true && !cliEnvironment().noColor;
      if (args.values.watch !== true) {
        process.stdout.write(renderRollout(await readSnapshot(client, ref), { color }));
        return ExitCode.Ok;
      }
      const deadline = Date.now() + Number(stringOption(args, 'timeout') ?? 'Infinity') * 1000;
      let stop = false;
      process.once('SIGINT', () => {
        stop = true;
      });
      let previous = '';
      while (!stop && Date.now() < deadline) {
        const view = renderRollout(await readSnapshot(client, ref), { color });
        if (view !== previous) {
          // On a terminal redraw in place; piped, print each new state after a blank line.
          process.stdout.write(tty ? `\u001b[H\u001b[2J${view}` : `${previous ? '\n' : ''}${view}`);
          previous = view;
        }
        await new Promise((r) => setTimeout(r, 1_000));
      }
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
