import type { Experiment } from '../../experiments/index.js';
import type { ReplicaSet } from '../../rollouts/index.js';
import { type Command, ExitCode, stringOption } from '../command.js';
import { cliEnvironment } from '../environment.js';
import { clientFromArgs } from '../kube-options.js';
import { OUTPUT_OPTION, printIfRequested, printObject } from '../output.js';
import {
  type AnalysisRunObject,
  type RolloutObject,
  type RolloutSnapshot,
  renderRollout,
  rolloutListTable,
} from '../rollout-view/index.js';
import { NAMESPACE_OPTION, namespaceOf, rolloutName } from './rollout-common.js';

const GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;

export const rolloutListCommand: Command = {
  path: ['rollout', 'list'],
  summary: 'List Rollouts with their strategy, status, step, weight and replica counts',
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
      if (items.length === 0) {
        process.stderr.write('No resources found.\n');
        return ExitCode.Ok;
      }
      process.stdout.write(`${rolloutListTable(items, all).join('\n')}\n`);
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
  const [rs, pods, runs, experiments] = await Promise.all([
    client.listAll<ReplicaSet>({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }, { namespace: ref.namespace }),
    client.listAll({ apiVersion: 'v1', kind: 'Pod' }, { namespace: ref.namespace }),
    client
      .listAll({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' }, { namespace: ref.namespace })
      .catch(() => ({ items: [] })),
    client
      .listAll<Experiment>(
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment' },
        { namespace: ref.namespace },
      )
      .catch(() => ({ items: [] as Experiment[] })),
  ]);
  return {
    rollout,
    replicaSets: rs.items,
    pods: pods.items,
    analysisRuns: runs.items as AnalysisRunObject[],
    experiments: experiments.items,
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
