import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';
import { KubeClient } from '../../kube/index.js';
import { type ControlPlaneBinaries, ensureBinaries } from './binaries.js';
import { createFakeNodes, isNodeReady } from './fake-nodes.js';
import { type ClusterCredentials, kubeconfigYaml, writeCredentials } from './pki.js';
import { freePorts } from './ports.js';
import { isAlive, type ManagedProcess, startProcess, stopProcess } from './processes.js';

/** Slipway's kwok stages: Job pods sleep and exit as their command says; missing images never pull (see the file). */
const podStages = fileURLToPath(new URL('./kwok-pod-stages.yaml', import.meta.url));

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';
export const ALL_COMPONENTS: readonly Component[] = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
];

export interface LocalClusterOptions {
  /** Which components to run. Default: all five. etcd and kube-apiserver are always started. */
  readonly components?: readonly Component[];
  /** Fake Ready nodes to create (when kwok runs). Default 2. */
  readonly nodes?: number;
  /** Parent of the cluster's temp dir. Default os.tmpdir(). */
  readonly baseDir?: string;
  /** How long to wait for readiness. Default 60 s. */
  readonly readyTimeoutMs?: number;
  readonly onProgress?: (message: string) => void;
}

export interface ClusterState {
  readonly dir: string;
  readonly kubeconfigPath: string;
  readonly server: string;
  readonly ownerPid: number | null;
  readonly processes: readonly { readonly name: string; readonly pid: number; readonly logPath: string }[];
}

interface Layout {
  readonly ports: {
    etcdClient: number;
    etcdPeer: number;
    apiserver: number;
    kcm: number;
    scheduler: number;
    kwok: number;
  };
  readonly creds: ClusterCredentials;
  readonly caFile: string;
  readonly kubeconfigPath: string;
}

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok (fake kubelets that make nodes and pods Ready). Everything lives in one temp
 * dir (data, logs, kubeconfig); `stop()` kills every process group and removes it.
 */
export class LocalCluster {
  private readonly procs = new Map<Component, ManagedProcess>();
  private stopped = false;

  private constructor(
    readonly dir: string,
    private readonly bins: ControlPlaneBinaries,
    private readonly layout: Layout,
    readonly components: readonly Component[],
  ) {}

  get kubeconfigPath(): string {
    return this.layout.kubeconfigPath;
  }
  get server(): string {
    return `https://127.0.0.1:${this.layout.ports.apiserver}`;
  }
  pid(component: Component): number | undefined {
    return this.procs.get(component)?.pid;
  }
  logPath(component: Component): string {
    return join(this.dir, 'logs', `${component}.log`);
  }

  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const progress = options.onProgress ?? (() => {});
    const bins = await ensureBinaries((line) => progress(line));
    const components = ALL_COMPONENTS.filter(
      (c) => c === 'etcd' || c === 'kube-apiserver' || (options.components ?? ALL_COMPONENTS).includes(c),
    );
    const dir = mkdtempSync(join(options.baseDir ?? tmpdir(), 'slipway-cluster-'));
    mkdirSync(join(dir, 'logs'));
    mkdirSync(join(dir, 'pki'));
    const [etcdClient, etcdPeer, apiserver, kcm, scheduler, kwok] = await freePorts(6);
    const creds = writeCredentials(join(dir, 'pki'));
    const layout: Layout = {
      ports: {
        etcdClient: etcdClient!,
        etcdPeer: etcdPeer!,
        apiserver: apiserver!,
        kcm: kcm!,
        scheduler: scheduler!,
        kwok: kwok!,
      },
      creds,
      caFile: join(dir, 'pki', 'apiserver.crt'),
      kubeconfigPath: join(dir, 'kubeconfig'),
    };
    writeFileSync(
      layout.kubeconfigPath,
      kubeconfigYaml(`https://127.0.0.1:${apiserver}`, layout.caFile, creds.adminToken),
      {
        mode: 0o600,
      },
    );
    const cluster = new LocalCluster(dir, bins, layout, components);
    try {
      const started = Date.now();
      progress('starting etcd and kube-apiserver');
      cluster.startComponent('etcd');
      cluster.startComponent('kube-apiserver');
      await cluster.waitForApiserver(options.readyTimeoutMs ?? 60_000);
      for (const c of components) if (c !== 'etcd' && c !== 'kube-apiserver') cluster.startComponent(c);
      if (components.includes('kwok')) {
        progress('creating fake nodes');
        await cluster.waitForNodes(options.nodes ?? 2, options.readyTimeoutMs ?? 60_000);
      }
      if (components.includes('kube-controller-manager'))
        await cluster.waitForServiceAccount('default', 30_000);
      progress(`cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** Starts one component (again). */
  startComponent(component: Component): void {
    const [cmd, args] = this.commandFor(component);
    this.procs.set(component, startProcess(component, cmd, args, this.logPath(component)));
  }

  /** Kills one component (SIGKILL by default), e.g. to test behaviour during an API outage. */
  async killComponent(component: Component, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.procs.get(component);
    if (p) await stopProcess(p.pid, signal, 2_000);
    this.procs.delete(component);
  }

  /** Kills and restarts kube-apiserver, resolving when it is ready again. */
  async restartApiserver(downtimeMs = 0): Promise<void> {
    await this.killComponent('kube-apiserver');
    if (downtimeMs > 0) await new Promise((r) => setTimeout(r, downtimeMs));
    this.startComponent('kube-apiserver');
    await this.waitForApiserver(60_000);
  }

  client(): KubeClient {
    return KubeClient.fromKubeConfig({ kubeconfigPath: this.kubeconfigPath });
  }

  state(ownerPid: number | null): ClusterState {
    return {
      dir: this.dir,
      kubeconfigPath: this.kubeconfigPath,
      server: this.server,
      ownerPid,
      processes: [...this.procs.values()].map(({ name, pid, logPath }) => ({ name, pid, logPath })),
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopClusterState(this.state(null));
    this.procs.clear();
  }

  private commandFor(component: Component): [string, string[]] {
    const { ports, creds, caFile, kubeconfigPath } = this.layout;
    const b = this.bins;
    const d = this.dir;
    const kc = [`--kubeconfig=${kubeconfigPath}`];
    switch (component) {
      case 'etcd':
        return [
          b.etcd,
          [
            '--name=default',
            `--data-dir=${join(d, 'etcd')}`,
            `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
            `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
            `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
            `--initial-cluster=default=http://127.0.0.1:${ports.etcdPeer}`,
            '--unsafe-no-fsync',
            '--log-level=warn',
            '--quota-backend-bytes=8589934592',
          ],
        ];
      case 'kube-apiserver':
        return [b.kubeApiserver, this.apiserverArgs(ports.apiserver, join(d, 'pki'))];
      case 'kube-controller-manager':
        return [
          b.kubeControllerManager,
          [
            ...kc,
            `--authentication-kubeconfig=${kubeconfigPath}`,
            `--authorization-kubeconfig=${kubeconfigPath}`,
            '--leader-elect=false',
            '--bind-address=127.0.0.1',
            `--secure-port=${ports.kcm}`,
            `--service-account-private-key-file=${creds.serviceAccountKey}`,
            `--root-ca-file=${caFile}`,
            '--use-service-account-credentials=false',
            '--kube-api-qps=500',
            '--kube-api-burst=1000',
            '--concurrent-replicaset-syncs=20',
            '--concurrent-deployment-syncs=20',
            '--v=1',
          ],
        ];
      case 'kube-scheduler':
        return [
          b.kubeScheduler,
          [
            ...kc,
            `--authentication-kubeconfig=${kubeconfigPath}`,
            `--authorization-kubeconfig=${kubeconfigPath}`,
            '--leader-elect=false',
            '--bind-address=127.0.0.1',
            `--secure-port=${ports.scheduler}`,
            '--v=1',
          ],
        ];
      case 'kwok':
        return [
          b.kwok,
          [
            ...kc,
            `--config=${b.kwokStages}`,
            `--config=${podStages}`,
            '--manage-all-nodes=false',
            '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
            '--node-ip=10.0.0.1',
            '--cidr=10.0.0.1/16',
            '--node-lease-duration-seconds=40',
            `--server-address=127.0.0.1:${ports.kwok}`,
          ],
        ];
    }
  }

  /**
   * Starts a second kube-apiserver on the same etcd (its own port and serving certificate), so tests
   * can keep changing the cluster while the primary API server is down.
   */
  async startSecondaryApiserver(): Promise<{ kubeconfigPath: string; stop(): Promise<void> }> {
    const [port] = await freePorts(1);
    const certDir = join(this.dir, 'pki-secondary');
    mkdirSync(certDir, { recursive: true });
    const proc = startProcess(
      'kube-apiserver-secondary',
      this.bins.kubeApiserver,
      this.apiserverArgs(port!, certDir),
      join(this.dir, 'logs', 'kube-apiserver-secondary.log'),
    );
    const kubeconfigPath = join(this.dir, 'kubeconfig-secondary');
    writeFileSync(
      kubeconfigPath,
      kubeconfigYaml(
        `https://127.0.0.1:${port}`,
        join(certDir, 'apiserver.crt'),
        this.layout.creds.adminToken,
      ),
      { mode: 0o600 },
    );
    const client = KubeClient.fromKubeConfig({ kubeconfigPath });
    try {
      await this.poll(60_000, 'the secondary kube-apiserver', async () => {
        if (!isAlive(proc.pid)) throw new Error(`secondary kube-apiserver exited; see ${proc.logPath}`);
        if (!existsSync(join(certDir, 'apiserver.crt'))) return false;
        await client.transport.request({ method: 'GET', path: '/readyz', timeoutMs: 2_000 });
        return true;
      });
    } finally {
      client.close();
    }
    return { kubeconfigPath, stop: () => stopProcess(proc.pid, 'SIGTERM', 3_000) };
  }

  private apiserverArgs(port: number, certDir: string): string[] {
    const { ports, creds } = this.layout;
    return [
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${creds.tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${creds.serviceAccountPub}`,
      `--service-account-signing-key-file=${creds.serviceAccountKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      '--profiling=false',
      '--max-requests-inflight=1600',
      '--max-mutating-requests-inflight=800',
      '--v=1',
    ];
  }

  private async waitForApiserver(timeoutMs: number): Promise<void> {
    const client = this.client();
    try {
      await this.poll(timeoutMs, 'kube-apiserver to become ready', async () => {
        if (!existsSync(this.layout.caFile)) return false;
        const body = await client.transport.request<string>({
          method: 'GET',
          path: '/readyz',
          timeoutMs: 2_000,
        });
        return body !== undefined;
      });
    } finally {
      client.close();
    }
  }

  private async waitForNodes(count: number, timeoutMs: number): Promise<void> {
    const client = this.client();
    try {
      await createFakeNodes(client, count);
      await this.poll(timeoutMs, `${count} fake nodes to become Ready`, async () => {
        const nodes = await client.listAll({ apiVersion: 'v1', kind: 'Node' });
        return nodes.items.filter(isNodeReady).length >= count;
      });
    } finally {
      client.close();
    }
  }

  private async waitForServiceAccount(namespace: string, timeoutMs: number): Promise<void> {
    const client = this.client();
    try {
      await this.poll(timeoutMs, 'the default service account', async () => {
        await client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace, name: 'default' });
        return true;
      });
    } finally {
      client.close();
    }
  }

  private async poll(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      for (const [name, p] of this.procs) {
        if (!isAlive(p.pid)) {
          throw new SlipwayError(
            'DEV_COMPONENT_EXITED',
            `${name} exited while waiting for ${what}; see ${p.logPath}:\n${tail(p.logPath)}`,
          );
        }
      }
      try {
        if (await check()) return;
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const why = last instanceof Error ? `: ${last.message}` : '';
    throw new SlipwayError(
      'DEV_CLUSTER_TIMEOUT',
      `timed out after ${timeoutMs} ms waiting for ${what}${why}; logs are in ${join(this.dir, 'logs')}`,
    );
  }
}

/** Kills every process of a recorded cluster and removes its directory. */
export async function stopClusterState(state: ClusterState): Promise<void> {
  // Stop clients of the API server first, etcd last.
  const order = [...state.processes].sort((a, b) => rank(b.name) - rank(a.name));
  for (const p of order) await stopProcess(p.pid, 'SIGTERM', 3_000);
  rmSync(state.dir, { recursive: true, force: true });
}

const rank = (name: string) => ALL_COMPONENTS.indexOf(name as Component);

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
