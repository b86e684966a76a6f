import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manager } from '../../../src/core/index.js';
import { installFluxCrds } from '../../../src/dev/flux-crds/index.js';
import {
  type FluxControllerHandle,
  type FluxControllerOptions,
  GIT_REPOSITORY_GVK,
  type GitRepository,
  IMAGE_POLICY_GVK,
  IMAGE_UPDATE_AUTOMATION_GVK,
  KUSTOMIZATION_GVK,
  type Kustomization,
  registerFluxControllers,
} from '../../../src/flux/index.js';
import { installCrds } from '../../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import { createLogger, Metrics, silentLogger } from '../../../src/observability/index.js';
import { eventually, testClient } from '../kube.js';

/** A Manager running the Flux controllers against the shared test cluster. */
export class FluxHarness {
  private constructor(
    readonly client: KubeClient,
    readonly manager: Manager,
    readonly handle: FluxControllerHandle,
    private readonly workDir: string,
  ) {}

  static async start(
    namespace: string,
    options: Omit<FluxControllerOptions, 'namespace' | 'workDir'> = {},
  ): Promise<FluxHarness> {
    const client = testClient();
    await installCrds(client);
    await installFluxCrds(client);
    const workDir = mkdtempSync(join(tmpdir(), 'slipway-flux-test-'));
    const logger = process.env.SLIPWAY_TEST_LOG
      ? createLogger({ level: process.env.SLIPWAY_TEST_LOG, format: 'json' })
      : silentLogger();
    const manager = new Manager({ client, logger, metrics: new Metrics(), shutdownDeadlineMs: 2_000 });
    const handle = registerFluxControllers(manager, {
      namespace,
      workDir,
      dependencyRequeueMs: 2_000,
      healthPollMs: 1_000,
      ...options,
    });
    await manager.start();
    return new FluxHarness(client, manager, handle, workDir);
  }

  async stop(): Promise<void> {
    this.handle.stop();
    await this.manager.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

export const getKustomization = (client: KubeClient, namespace: string, name: string) =>
  client.get<Kustomization>({ ...KUSTOMIZATION_GVK, namespace, name });
export const getGitRepository = (client: KubeClient, namespace: string, name: string) =>
  client.get<GitRepository>({ ...GIT_REPOSITORY_GVK, namespace, name });

export function condition(
  obj: {
    status?: { conditions?: readonly { type: string; status: string; reason?: string; message?: string }[] };
  },
  type: string,
) {
  return obj.status?.conditions?.find((c) => c.type === type);
}

/** Waits until the Kustomization satisfies `check`; the failure shows the last status seen. */
export async function waitForKustomization(
  client: KubeClient,
  namespace: string,
  name: string,
  what: string,
  check: (k: Kustomization) => boolean,
  timeoutMs = 90_000,
): Promise<Kustomization> {
  let last: Kustomization | undefined;
  try {
    return await eventually(
      what,
      async () => {
        last = await getKustomization(client, namespace, name);
        return check(last) ? last : undefined;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
  }
}

export function gitRepository(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { ...GIT_REPOSITORY_GVK, metadata: { name, namespace }, spec } as KubeObject;
}

export function kustomization(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { ...KUSTOMIZATION_GVK, metadata: { name, namespace }, spec } as KubeObject;
}

export function imagePolicy(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { ...IMAGE_POLICY_GVK, metadata: { name, namespace }, spec } as KubeObject;
}

export function imageUpdateAutomation(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): KubeObject {
  return { ...IMAGE_UPDATE_AUTOMATION_GVK, metadata: { name, namespace }, spec } as KubeObject;
}
