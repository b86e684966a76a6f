import { devClusterDown, devClusterUp, readDevClusterState } from '../../dev/cluster/index.js';
import { ensureTrafficCrds, installTrafficCrds } from '../../dev/traffic-crds/index.js';
import { KubeClient } from '../../kube/index.js';
import { booleanOption, type Command, ExitCode, stringOption } from '../command.js';
import { printObject, progress } from '../output.js';

export const devClusterUpCommand: Command = {
  path: ['dev', 'cluster', 'up'],
  summary:
    'Start a local Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok fake nodes)',
  options: {
    nodes: { type: 'string', description: 'fake Ready nodes to create', default: '2' },
    'traffic-crds': {
      type: 'boolean',
      description:
        'also install the upstream traffic CRDs: Istio VirtualService and DestinationRule, Gateway API routes, SMI TrafficSplit',
    },
  },
  async run(args) {
    const started = Date.now();
    const trafficCrds = booleanOption(args, 'traffic-crds');
    const onProgress = (m: string) => progress(`  ${m}`);
    // fetched before the cluster starts, so a missing Go or proxy fails first
    if (trafficCrds) await ensureTrafficCrds({ onProgress });
    const { state, reused } = await devClusterUp({
      nodes: Number(stringOption(args, 'nodes') ?? '2'),
      onProgress,
    });
    if (reused) progress('a dev cluster is already running');
    else progress(`dev cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (trafficCrds) {
      const client = KubeClient.fromKubeConfig({ kubeconfigPath: state.kubeconfigPath });
      try {
        const names = await installTrafficCrds(client);
        progress(`${names.length} upstream traffic CRDs established`);
      } finally {
        client.close();
      }
    }
    progress(`  kubectl --kubeconfig ${state.kubeconfigPath} get nodes`);
    process.stdout.write(`${state.kubeconfigPath}\n`);
    return ExitCode.Ok;
  },
};

export const devClusterDownCommand: Command = {
  path: ['dev', 'cluster', 'down'],
  summary: 'Stop the local control plane and delete its data',
  async run() {
    const stopped = await devClusterDown();
    progress(stopped ? 'dev cluster stopped' : 'no dev cluster was running');
    return ExitCode.Ok;
  },
};

export const devClusterKubeconfigCommand: Command = {
  path: ['dev', 'cluster', 'kubeconfig'],
  summary: 'Print the path of the running dev cluster kubeconfig',
  async run() {
    const state = readDevClusterState();
    if (!state) {
      progress('no dev cluster is running; start one with: slipway dev cluster up');
      return ExitCode.NotFound;
    }
    process.stdout.write(`${state.kubeconfigPath}\n`);
    return ExitCode.Ok;
  },
};

export const devClusterStatusCommand: Command = {
  path: ['dev', 'cluster', 'status'],
  summary: 'Show the dev cluster processes',
  options: {
    output: { type: 'string', short: 'o', description: 'output format: text, json or yaml', default: 'text' },
  },
  async run(args) {
    const state = readDevClusterState();
    if (!state) {
      progress('no dev cluster is running; start one with: slipway dev cluster up');
      return ExitCode.NotFound;
    }
    const format = stringOption(args, 'output');
    if (format !== 'text') printObject(state, format);
    else {
      process.stdout.write(`server      ${state.server}\nkubeconfig  ${state.kubeconfigPath}\n`);
      for (const p of state.processes)
        process.stdout.write(`${p.name.padEnd(24)} pid ${p.pid}  log ${p.logPath}\n`);
    }
    return ExitCode.Ok;
  },
};
