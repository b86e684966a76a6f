// The shipped controller as a user gets it: `slipway install --controller`, then the image's ENTRYPOINT
// with deployment.yaml's args, env, user, read-only root and volumes, authenticated in-cluster as the
// Deployment's service account (whose RBAC is what deploy/ grants). Only the metrics port differs:
// the pod's own network namespace is not reproduced, so a free port replaces --metrics-port.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { freePorts } from '../../../src/dev/cluster/index.js';
import { applyAll, readManifestDir } from '../../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import { ensureRenderTools } from '../../../src/sync/render/index.js';
import { eventually } from '../kube.js';
import {
  type SandboxBind,
  type SandboxedProcess,
  type SandboxSpec,
  startSandboxed,
} from './container-sandbox.js';
import { imageBinds } from './image-layout.js';
import {
  requestServiceAccountToken,
  SERVICE_ACCOUNT_MOUNT,
  writeServiceAccountDir,
} from './service-account.js';
import { type ShippedContainer, shippedContainer } from './shipped-container.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `slipway install --controller` from this checkout, as a user runs it. */
export async function installController(kubeconfigPath: string): Promise<string> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['bin/slipway.js', 'install', '--controller', '--kubeconfig', kubeconfigPath],
    { cwd: ROOT, timeout: 180_000 },
  );
  return stdout + stderr;
}

const SYNC_RECIPE_DIR = join(ROOT, 'deploy', 'sync');

/**
 * Applies deploy/sync's per-namespace opt-in for `namespace` when the recipe exists (its ClusterRoles,
 * and its namespace RoleBinding template pointed at `namespace`) and returns the controller args the
 * recipe asks for. Without the recipe (deploy/rbac.yaml binds sync rights itself) it does nothing.
 */
export async function applySyncRecipe(client: KubeClient, namespace: string): Promise<string[]> {
  const template = join(SYNC_RECIPE_DIR, 'namespace-binding.yaml');
  if (!existsSync(template)) return [];
  const objects = readManifestDir(SYNC_RECIPE_DIR).flatMap((o): KubeObject[] => {
    if (o.kind === 'ClusterRole') return [o];
    if (o.kind === 'RoleBinding' || o.kind === 'Role') {
      return [{ ...o, metadata: { ...o.metadata, namespace } }];
    }
    return []; // cluster-wide bindings are the other, broader opt-in
  });
  await applyAll(client, objects);
  return [`--sync-namespaces=${namespace}`];
}

/**
 * `tsc -p tsconfig.build.json` into `outDir`: the image's build stage (`npm run build`). Without type
 * checking (`npm run typecheck` does that): the emitted JavaScript is the same, in half the time.
 */
export async function compileDist(outDir: string): Promise<void> {
  await run(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--noCheck',
      '--outDir',
      outDir,
    ],
    { cwd: ROOT, timeout: 300_000 },
  );
}

/** Server URL and CA of the admin kubeconfig (the in-cluster view of the same API server). */
function clusterEndpoint(kubeconfigPath: string): { host: string; port: string; caPem: string } {
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority': string } }[];
  };
  const cluster = config.clusters[0]?.cluster;
  if (!cluster) throw new Error('kubeconfig has no cluster');
  const url = new URL(cluster.server);
  const caPath = resolve(dirname(kubeconfigPath), cluster['certificate-authority']);
  return { host: url.hostname, port: url.port || '443', caPem: readFileSync(caPath, 'utf8') };
}

/** Replaces --metrics-port (either form) with `port`. */
function withMetricsPort(args: readonly string[], port: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--metrics-port') i++;
    else if (!arg.startsWith('--metrics-port=')) out.push(arg);
  }
  return [...out, `--metrics-port=${port}`];
}

export interface ShippedControllerOptions {
  readonly kubeconfigPath: string;
  readonly adminClient: KubeClient;
  /** Compiled dist/ (compileDist). */
  readonly distDir: string;
  /** Where the service account's files are written; the caller removes it. */
  readonly scratchDir: string;
  /** Extra mounts (e.g. a Git repository the test serves from disk). */
  readonly extraBinds?: readonly SandboxBind[];
  readonly extraArgs?: readonly string[];
  readonly podName?: string;
}

export interface ShippedController {
  readonly container: ShippedContainer;
  readonly spec: SandboxSpec;
  readonly podName: string;
  readonly process: SandboxedProcess;
  readonly probeUrl: (path: string) => string;
  /** Parsed JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /** SIGTERM (SIGKILL after 30 s, the pod's grace period); resolves to the exit code. */
  stop(): Promise<number | null>;
  /** The sandbox of this controller with another command (to probe the container's conditions). */
  specWith(command: readonly string[]): SandboxSpec;
}

/** Everything the container is, for the Deployment's pod `podName`, with `command` to run. */
async function containerSpec(options: ShippedControllerOptions, podName: string, port: number) {
  const container = shippedContainer();
  const tools = await ensureRenderTools();
  const token = await requestServiceAccountToken(
    options.adminClient,
    container.namespace,
    container.serviceAccountName,
  );
  const endpoint = clusterEndpoint(options.kubeconfigPath);
  writeServiceAccountDir(
    join(options.scratchDir, 'serviceaccount'),
    token,
    endpoint.caPem,
    container.namespace,
  );
  const binds: SandboxBind[] = [
    ...imageBinds({
      copies: container.image.copies,
      stageOutputs: {
        build: { '/app/dist': options.distDir },
        tools: { '/out/kustomize': tools.kustomize, '/out/helm': tools.helm },
      },
      runOutputs: { [join(container.image.workdir, 'node_modules')]: join(ROOT, 'node_modules') },
    }),
    { source: join(options.scratchDir, 'serviceaccount'), target: SERVICE_ACCOUNT_MOUNT },
    ...(options.extraBinds ?? []),
  ];
  const env: Record<string, string> = {
    // what the runtime and kubelet add: HOME=/ for a uid without passwd entry, the pod's hostname,
    // and the kubernetes Service's address (here the API server itself)
    HOME: '/',
    HOSTNAME: podName,
    KUBERNETES_SERVICE_HOST: endpoint.host,
    KUBERNETES_SERVICE_PORT: endpoint.port,
    ...container.env({ namespace: container.namespace, podName }),
  };
  const spec: SandboxSpec = {
    uid: container.uid,
    gid: container.gid,
    groups: container.groups,
    readOnlyRootFilesystem: container.readOnlyRootFilesystem,
    noNewPrivileges: container.noNewPrivileges,
    dropAllCapabilities: container.dropAllCapabilities,
    volumes: container.volumes,
    binds,
    env,
    workdir: container.image.workdir,
    hostname: podName,
    command: [
      ...container.image.entrypoint,
      ...withMetricsPort(container.args, port),
      ...(options.extraArgs ?? []),
    ],
  };
  return { container, spec };
}

/** Starts the shipped controller and waits until its readiness probe passes. */
export async function startShippedController(options: ShippedControllerOptions): Promise<ShippedController> {
  const podName = options.podName ?? 'slipway-controller-5d8f7c9b4-x2x7q';
  const [port = 0] = await freePorts(1);
  const { container, spec } = await containerSpec(options, podName, port);
  const proc = startSandboxed(spec);
  const probeUrl = (path: string) => `http://127.0.0.1:${port}${path}`;
  const logs = () =>
    proc
      .output()
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  const stop = async () => {
    await proc.stop(30_000);
    return proc.child.exitCode;
  };
  // fail at once when the process dies instead of waiting out the probe timeout
  let dead = false;
  const died = new Promise<never>((_, reject) => {
    proc.child.once('exit', (code, signal) => {
      dead = true;
      reject(new Error(`controller exited (${code ?? signal})`));
    });
  });
  died.catch(() => {});
  try {
    const probes = async () => {
      for (const path of container.probePaths) {
        await eventually(
          `the controller's ${path} probe`,
          async () => dead || (await fetch(probeUrl(path))).ok,
          120_000,
          250,
        );
      }
    };
    await Promise.race([probes(), died]);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\ncontroller output:\n${proc.output().slice(-6000)}`);
  }
  return {
    container,
    spec,
    podName,
    process: proc,
    probeUrl,
    logs,
    stop,
    specWith: (command) => ({ ...spec, command }),
  };
}
