import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { slipwayCacheDir } from '../../../src/dev/cluster/binaries.js';
import { LocalCluster } from '../../../src/dev/cluster/local-cluster.js';
import type { KubeClient } from '../../../src/kube/index.js';

export interface ExtraTestClusterOptions {
  /**
   * Run pods too: kube-scheduler, kwok and one fake Ready node, for workloads whose pods must turn
   * Ready (a Rollout's ReplicaSets). Default false: plain objects only.
   */
  readonly workloads?: boolean;
}

/**
 * A second (third, …) local control plane next to the shared one, for multi-cluster tests: etcd,
 * kube-apiserver and kube-controller-manager (its token controller issues service-account tokens;
 * no nodes, no scheduler unless `workloads`), about 0.3 CPU. Recorded like the shared cluster, so a
 * killed test run's clusters are reaped by the next one.
 */
export class ExtraTestCluster {
  private constructor(
    readonly name: string,
    private readonly cluster: LocalCluster,
    private readonly record: string,
  ) {}

  static async start(name: string, options: ExtraTestClusterOptions = {}): Promise<ExtraTestCluster> {
    const cluster = await LocalCluster.start({
      components: options.workloads
        ? ['kube-controller-manager', 'kube-scheduler', 'kwok']
        : ['kube-controller-manager'],
      nodes: 1,
      readyTimeoutMs: 120_000,
      onProgress: (m) => process.stderr.write(`[extra-cluster ${name}] ${m}\n`),
    });
    const runs = join(slipwayCacheDir(), 'test-runs');
    mkdirSync(runs, { recursive: true });
    const record = join(runs, `${process.pid}-${name}.json`);
    writeFileSync(record, JSON.stringify(cluster.state(process.pid)));
    return new ExtraTestCluster(name, cluster, record);
  }

  get server(): string {
    return this.cluster.server;
  }
  get kubeconfigPath(): string {
    return this.cluster.kubeconfigPath;
  }

  /** An admin client (the cluster's own kubeconfig). */
  client(): KubeClient {
    return this.cluster.client();
  }

  /** Kills kube-apiserver: the cluster becomes unreachable (same port and certificate on restart). */
  async stopApiserver(): Promise<void> {
    await this.cluster.killComponent('kube-apiserver');
  }

  /** Starts kube-apiserver again and waits until it answers /readyz. */
  async startApiserver(): Promise<void> {
    this.cluster.startComponent('kube-apiserver');
    writeFileSync(this.record, JSON.stringify(this.cluster.state(process.pid)));
    const client = this.client();
    const deadline = Date.now() + 120_000;
    try {
      for (;;) {
        try {
          await client.transport.request({ method: 'GET', path: '/readyz', timeoutMs: 2_000 });
          return;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    } finally {
      client.close();
    }
  }

  async stop(): Promise<void> {
    await this.cluster.stop();
    rmSync(this.record, { force: true });
  }
}

type Named = { name: string; [k: string]: unknown };
interface KubeconfigDoc {
  clusters?: Named[];
  users?: Named[];
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  'current-context'?: string;
}

/**
 * One kubeconfig with a context per cluster, named `mainContext` for the shared cluster (the current
 * one) and after each extra cluster's name, as a platform team's kubeconfig before `cluster add`.
 */
export function writeMergedKubeconfig(
  path: string,
  main: { readonly context: string; readonly kubeconfigPath: string },
  extras: readonly { readonly name: string; readonly kubeconfigPath: string }[],
): void {
  const merged: Required<Pick<KubeconfigDoc, 'clusters' | 'users' | 'contexts'>> = {
    clusters: [],
    users: [],
    contexts: [],
  };
  const add = (name: string, file: string) => {
    const doc = parse(readFileSync(file, 'utf8')) as KubeconfigDoc;
    const ctx = doc.contexts?.find((c) => c.name === doc['current-context']) ?? doc.contexts?.[0];
    const cluster = doc.clusters?.find((c) => c.name === ctx?.context.cluster);
    const user = doc.users?.find((u) => u.name === ctx?.context.user);
    if (!ctx || !cluster || !user) throw new Error(`kubeconfig ${file} has no usable current context`);
    merged.clusters.push({ ...cluster, name });
    merged.users.push({ ...user, name });
    merged.contexts.push({ name, context: { cluster: name, user: name } });
  };
  add(main.context, main.kubeconfigPath);
  for (const e of extras) add(e.name, e.kubeconfigPath);
  writeFileSync(
    path,
    stringify({ apiVersion: 'v1', kind: 'Config', ...merged, 'current-context': main.context }),
    { mode: 0o600 },
  );
}
