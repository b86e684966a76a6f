// The implementations `bench/sync --against flux` runs on the same Git repository, each as its own
// processes: Slipway's compiled `slipway controller --controllers sync` (Argo CD Applications), Flux's own
// source-controller + kustomize-controller (built from the Go module proxy, src/dev/flux-controllers), and
// Slipway's `flux` module (`--controllers flux`, the same Kustomizations as Flux). One shape: install CRDs,
// start, the objects to create for app i, and when an object counts as done.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../src/dev/cluster/index.js';
import { ensureFluxControllerBinaries } from '../../src/dev/flux-controllers/index.js';
import { FluxCrdVersions, installFluxCrds } from '../../src/dev/flux-crds/index.js';
import { installCrds } from '../../src/install/index.js';
import type { GroupVersionKind, KubeClient, KubeObject } from '../../src/kube/index.js';
import { startCompiledController } from '../compiled-controller.js';
import { appPath } from './sync-repo.js';

export type SyncImplementationName = 'slipway' | 'flux' | 'slipway-flux';

/** Where the objects live and where their manifests go (every controller here watches the whole cluster). */
export const APP_NAMESPACE = 'bench-apps';
export const DEST_NAMESPACE = 'bench-workloads';
const SOURCE_NAME = 'bench';

export interface RunningSync {
  /** Every process of the implementation (Flux runs two). */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

export interface SyncImplementation {
  readonly name: SyncImplementationName;
  readonly label: string;
  /** The kind counted (Application or Kustomization). */
  readonly gvk: GroupVersionKind;
  installCrds(client: KubeClient): Promise<void>;
  start(kubeconfigPath: string): Promise<RunningSync>;
  /** Objects created once before the apps (Flux: the GitRepository). */
  shared(repoUrl: string): KubeObject[];
  app(i: number, repoUrl: string): KubeObject;
  /** Synced and Healthy (Argo CD), Ready with its health checks passed (Flux). */
  done(obj: KubeObject): boolean;
}

const APPLICATION = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
const KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' } as const;
const GIT_REPOSITORY = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' } as const;

interface Status {
  readonly sync?: { readonly status?: string };
  readonly health?: { readonly status?: string };
  readonly conditions?: readonly { readonly type: string; readonly status: string }[];
  readonly observedGeneration?: number;
}
const statusOf = (obj: KubeObject) => (obj as { status?: Status }).status;

export function slipwaySyncImplementation(): SyncImplementation {
  return {
    name: 'slipway',
    label: 'Slipway sync (compiled controller, Applications)',
    gvk: APPLICATION,
    async installCrds(client) {
      await installCrds(client);
    },
    start: (kubeconfigPath) => startSlipway(kubeconfigPath, 'sync'),
    shared: () => [],
    app: (i, repoUrl) => ({
      ...APPLICATION,
      metadata: { name: `app-${i}`, namespace: APP_NAMESPACE },
      spec: {
        project: 'default',
        source: { repoURL: repoUrl, targetRevision: 'main', path: appPath(i) },
        destination: { server: 'https://kubernetes.default.svc', namespace: DEST_NAMESPACE },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    }),
    done: (obj) => statusOf(obj)?.sync?.status === 'Synced' && statusOf(obj)?.health?.status === 'Healthy',
  };
}

/** The same GitRepository and Kustomizations for Flux and for Slipway's `flux` module. */
const fluxObjects = {
  gvk: KUSTOMIZATION,
  shared: (repoUrl: string): KubeObject[] => [
    {
      ...GIT_REPOSITORY,
      metadata: { name: SOURCE_NAME, namespace: APP_NAMESPACE },
      spec: { url: repoUrl, ref: { branch: 'main' }, interval: '60m', timeout: '60s' },
    },
  ],
  app: (i: number): KubeObject => ({
    ...KUSTOMIZATION,
    metadata: { name: `app-${i}`, namespace: APP_NAMESPACE },
    spec: {
      // nothing changes during the bench: one apply, health checked until Ready (wait), no periodic drift pass
      interval: '60m',
      retryInterval: '30s',
      timeout: '10m',
      path: `./${appPath(i)}`,
      prune: true,
      wait: true,
      targetNamespace: DEST_NAMESPACE,
      sourceRef: { kind: 'GitRepository', name: SOURCE_NAME },
    },
  }),
  done: (obj: KubeObject): boolean => {
    const status = statusOf(obj);
    const ready = status?.conditions?.find((c) => c.type === 'Ready');
    return ready?.status === 'True' && status?.observedGeneration === obj.metadata.generation;
  },
};

export function slipwayFluxImplementation(): SyncImplementation {
  return {
    name: 'slipway-flux',
    label: "Slipway's flux module (compiled controller, Kustomizations)",
    ...fluxObjects,
    async installCrds(client) {
      await installCrds(client);
      await installFluxCrds(client);
    },
    start: (kubeconfigPath) => startSlipway(kubeconfigPath, 'flux'),
  };
}

/** Flux's flags that match Slipway's sync workers (8) and lift the client-side rate limit. */
export const FLUX_TUNED_ARGS = ['--concurrent=8', '--kube-api-qps=1000', '--kube-api-burst=2000'] as const;

export function fluxImplementation(tuned: boolean): SyncImplementation {
  const extra = tuned ? [...FLUX_TUNED_ARGS] : [];
  const v = FluxCrdVersions;
  return {
    name: 'flux',
    label: `Flux source-controller ${v.sourceController} + kustomize-controller ${v.kustomizeController} (${tuned ? `tuned: ${extra.join(' ')}` : 'defaults: --concurrent 2 / 4, QPS 50, burst 300'})`,
    ...fluxObjects,
    async installCrds(client) {
      await installFluxCrds(client);
      // source-controller's manager needs every kind it serves (HelmRepository, Bucket, OCIRepository…):
      // its module's published CRDs, in the Go module cache once it was built
      await ensureFluxControllerBinaries();
      await installCrds(client, { crdDir: sourceControllerCrdDir() });
    },
    start: (kubeconfigPath) => startFlux(kubeconfigPath, extra),
  };
}

function sourceControllerCrdDir(): string {
  const gopath = process.env.GOPATH ?? join(homedir(), 'go');
  const module = `source-controller@${FluxCrdVersions.sourceController}`;
  return join(gopath, 'pkg', 'mod', 'github.com', 'fluxcd', module, 'config', 'crd', 'bases');
}

let slipwayBuilt = false;

async function startSlipway(kubeconfigPath: string, module: 'sync' | 'flux'): Promise<RunningSync> {
  // cluster-wide, as Flux runs here: Slipway's namespaced sync module did not see the objects it applied
  // (Applications stayed Missing after "created"; not investigated yet)
  const c = await startCompiledController(kubeconfigPath, undefined, [module], { build: !slipwayBuilt });
  slipwayBuilt = true;
  return { pids: [c.child.pid ?? 0], stop: () => c.stop() };
}

async function startFlux(kubeconfigPath: string, extra: readonly string[]): Promise<RunningSync> {
  const bins = await ensureFluxControllerBinaries({
    onProgress: (m) => process.stderr.write(`[flux-controllers] ${m}\n`),
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-flux-'));
  mkdirSync(join(dir, 'storage'));
  const [storage = 0, sourceMetrics = 0, sourceHealth = 0, kustomizeMetrics = 0, kustomizeHealth = 0] =
    await freePorts(5);
  const common = [
    '--enable-leader-election=false',
    '--log-level=error',
    '--watch-all-namespaces=true',
    ...extra,
  ];
  const source = await startGoController(
    'source-controller',
    bins.sourceController,
    dir,
    kubeconfigPath,
    [
      `--storage-path=${join(dir, 'storage')}`,
      `--storage-addr=127.0.0.1:${storage}`,
      `--storage-adv-addr=127.0.0.1:${storage}`,
      `--metrics-addr=127.0.0.1:${sourceMetrics}`,
      `--health-addr=127.0.0.1:${sourceHealth}`,
      ...common,
    ],
    sourceHealth,
  );
  const kustomize = await startGoController(
    'kustomize-controller',
    bins.kustomizeController,
    dir,
    kubeconfigPath,
    [`--metrics-addr=127.0.0.1:${kustomizeMetrics}`, `--health-addr=127.0.0.1:${kustomizeHealth}`, ...common],
    kustomizeHealth,
  ).catch(async (err: unknown) => {
    await source.stop();
    throw err;
  });
  return {
    pids: [source.pid, kustomize.pid],
    stop: async () => {
      await Promise.all([source.stop(), kustomize.stop()]);
    },
  };
}

interface GoController {
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts one controller-runtime binary and waits for its /readyz. */
async function startGoController(
  name: string,
  binary: string,
  dir: string,
  kubeconfigPath: string,
  args: readonly string[],
  healthPort: number,
): Promise<GoController> {
  const logPath = join(dir, `${name}.log`);
  const log = createWriteStream(logPath);
  const child: ChildProcess = spawn(binary, args, {
    env: { ...process.env, KUBECONFIG: kubeconfigPath, RUNTIME_NAMESPACE: APP_NAMESPACE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode}: ${readFileSync(logPath, 'utf8').slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error(`${name} not ready after 60 s; log: ${logPath}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((r) => child.once('exit', r));
  return {
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}
