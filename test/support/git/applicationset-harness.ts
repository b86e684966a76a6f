import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApplicationSet, registerApplicationSetController } from '../../../src/applicationsets/index.js';
import { Manager } from '../../../src/core/index.js';
import { installCrds } from '../../../src/install/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../../src/kube/index.js';
import { Metrics, silentLogger } from '../../../src/observability/index.js';
import {
  type Application,
  registerSyncController,
  type SyncControllerHandle,
} from '../../../src/sync/index.js';
import { eventually, testClient } from '../kube.js';

export const APPSET = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet' } as const;
export const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** One Manager running the Application and ApplicationSet controllers for one test namespace. */
export class ApplicationSetHarness {
  private constructor(
    readonly client: KubeClient,
    readonly manager: Manager,
    private readonly sync: SyncControllerHandle,
    private readonly workDir: string,
    readonly namespace: string,
  ) {}

  static async start(namespace: string): Promise<ApplicationSetHarness> {
    const client = testClient();
    await installCrds(client);
    const workDir = mkdtempSync(join(tmpdir(), 'slipway-appset-test-'));
    const manager = new Manager({ client, logger: silentLogger(), metrics: new Metrics() });
    const sync = registerSyncController(manager, {
      namespace,
      workDir,
      pollIntervalMs: 1_000,
      credentials: { credentialsFor: async () => undefined },
    });
    registerApplicationSetController(manager, { namespace, workDir });
    await manager.start();
    return new ApplicationSetHarness(client, manager, sync, workDir, namespace);
  }

  async stop(): Promise<void> {
    this.sync.stop();
    await this.manager.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

export function applicationSet(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): ApplicationSet {
  return { ...APPSET, metadata: { name, namespace }, spec } as unknown as ApplicationSet;
}

export async function getAppSet(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<ApplicationSet> {
  return client.get<ApplicationSet>({ ...APPSET, namespace, name });
}

export async function listApps(client: KubeClient, namespace: string): Promise<Application[]> {
  return (await client.list<Application>(APP, { namespace })).items.sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
}

export async function getObject(
  client: KubeClient,
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<(KubeObject & { data?: Record<string, string> }) | undefined> {
  try {
    return await client.get({ apiVersion, kind, namespace, name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Waits until the ApplicationSet's status satisfies `check`; the error shows the last status. */
export async function waitForAppSet(
  client: KubeClient,
  namespace: string,
  name: string,
  what: string,
  check: (s: ApplicationSet) => boolean,
  timeoutMs = 90_000,
): Promise<ApplicationSet> {
  let last: ApplicationSet | undefined;
  try {
    return await eventually(
      what,
      async () => {
        last = await getAppSet(client, namespace, name);
        return check(last) ? last : undefined;
      },
      timeoutMs,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
  }
}

/** Waits until the namespace's Applications satisfy `check`; the error shows what was seen. */
export async function waitForApps(
  client: KubeClient,
  namespace: string,
  what: string,
  check: (apps: Application[]) => boolean,
  timeoutMs = 120_000,
): Promise<Application[]> {
  let last: Application[] = [];
  try {
    return await eventually(
      what,
      async () => {
        last = await listApps(client, namespace);
        return check(last) ? last : undefined;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    const seen = last.map((a) => `${a.metadata.name}:${a.status?.sync?.status}/${a.status?.health?.status}`);
    throw new Error(`${(err as Error).message}; apps: ${seen.join(', ')}`);
  }
}

export const isSyncedHealthy = (a: Application) =>
  a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy';

export const configMapYaml = (name: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: ${JSON.stringify(data)}\n`;
