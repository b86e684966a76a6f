import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manager } from '../../../src/core/index.js';
import { installCrds } from '../../../src/install/index.js';
import type { KubeClient } from '../../../src/kube/index.js';
import {
  Metrics,
  type ProbeServer,
  silentLogger,
  startProbeServer,
} from '../../../src/observability/index.js';
import {
  type Application,
  registerSyncController,
  type SyncControllerHandle,
} from '../../../src/sync/index.js';
import { eventually, testClient } from '../kube.js';

/** A Manager running the sync controller against the shared test cluster, with the webhook served. */
export class SyncHarness {
  private constructor(
    readonly client: KubeClient,
    readonly manager: Manager,
    readonly handle: SyncControllerHandle,
    readonly webhookServer: ProbeServer,
    private readonly workDir: string,
  ) {}

  static async start(
    namespace: string,
    options: { webhookSecret?: string; pollIntervalMs?: number } = {},
  ): Promise<SyncHarness> {
    const client = testClient();
    await installCrds(client);
    const workDir = mkdtempSync(join(tmpdir(), 'slipway-sync-test-'));
    const manager = new Manager({ client, logger: silentLogger(), metrics: new Metrics() });
    const handle = registerSyncController(manager, {
      namespace,
      workDir,
      pollIntervalMs: options.pollIntervalMs ?? 600_000,
      ...(options.webhookSecret && { webhookSecrets: { github: options.webhookSecret } }),
      credentials: { credentialsFor: async () => undefined },
    });
    await manager.start();
    const webhookServer = await startProbeServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new Metrics(),
      routes: { '/api/webhook': handle.webhook },
    });
    return new SyncHarness(client, manager, handle, webhookServer, workDir);
  }

  async stop(): Promise<void> {
    this.handle.stop();
    await this.webhookServer.close();
    await this.manager.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }

  async app(namespace: string, name: string): Promise<Application> {
    return this.client.get<Application>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      namespace,
      name,
    });
  }

  /** Waits until the app's status satisfies `check`; the message shows the last status seen. */
  async waitForApp(
    namespace: string,
    name: string,
    what: string,
    check: (app: Application) => boolean,
    timeoutMs = 60_000,
  ): Promise<Application> {
    let last: Application | undefined;
    try {
      return await eventually(
        what,
        async () => {
          last = await this.app(namespace, name);
          return check(last) ? last : undefined;
        },
        timeoutMs,
        200,
      );
    } catch (err) {
      const s = last?.status;
      const summary = JSON.stringify({
        sync: s?.sync?.status,
        health: s?.health,
        conditions: s?.conditions,
        op: s?.operationState && { phase: s.operationState.phase, message: s.operationState.message },
      });
      throw new Error(`${(err as Error).message}; last status: ${summary}`);
    }
  }
}

export function application(namespace: string, name: string, spec: Record<string, unknown>): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace },
      ...spec,
    },
  } as Application;
}
