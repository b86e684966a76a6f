import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../errors/index.js';
import { isRetryable, type KubeClient, type KubeObject } from '../kube/index.js';
import { readManifestDir } from './manifests.js';

/** Field manager Slipway uses when it installs its own resources. */
export const INSTALL_FIELD_MANAGER = 'slipway-install';

export const CRD_DIR = fileURLToPath(new URL('../../crds/', import.meta.url));
export const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));

export interface InstallOptions {
  /** Directory with the CRD manifests. Default: the package's crds/. */
  readonly crdDir?: string;
  /** How long to wait for every CRD to be Established. Default 60 s. */
  readonly timeoutMs?: number;
  readonly dryRun?: boolean;
  readonly onProgress?: (message: string) => void;
}

interface CrdStatus {
  readonly conditions?: readonly {
    readonly type: string;
    readonly status: string;
    readonly message?: string;
  }[];
}

/** Applies Slipway's CRDs with server-side apply and waits until the API server serves them. */
export async function installCrds(client: KubeClient, options: InstallOptions = {}): Promise<string[]> {
  const crds = readManifestDir(options.crdDir ?? CRD_DIR).filter(
    (o) => o.kind === 'CustomResourceDefinition',
  );
  const names = await applyAll(client, crds, options);
  if (options.dryRun) return names;
  await waitForCrdsEstablished(client, names, options);
  return names;
}

/** Waits until every named CRD is Established (fails fast on a non-structural schema). */
export async function waitForCrdsEstablished(
  client: KubeClient,
  names: readonly string[],
  options: Pick<InstallOptions, 'timeoutMs' | 'onProgress'> = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (const name of names) {
    for (;;) {
      const crd = await client.get<KubeObject & { status?: CrdStatus }>({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name,
      });
      const conds = crd.status?.conditions ?? [];
      const problem = conds.find((c) => c.type === 'NonStructuralSchema' && c.status === 'True');
      if (problem)
        throw new SlipwayError(
          'INSTALL_CRD_INVALID',
          `crd ${name} is not structural: ${problem.message ?? ''}`,
        );
      if (conds.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) {
        throw new SlipwayError(
          'INSTALL_TIMEOUT',
          `crd ${name} was not Established in time; check the API server logs`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    options.onProgress?.(`crd ${name} established`);
  }
  client.discovery.invalidate();
}

/** Applies manifests in order with server-side apply (force: Slipway owns what it installs). */
export async function applyAll(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: InstallOptions = {},
): Promise<string[]> {
  const names: string[] = [];
  for (const obj of objects) {
    // a concurrent installer (another test file, a second `slipway install`) can make one attempt
    // fail with a conflict or a 5xx; the apply is idempotent, so try again a few times
    for (let attempt = 1; ; attempt++) {
      try {
        await client.apply(obj, {
          fieldManager: INSTALL_FIELD_MANAGER,
          force: true,
          dryRun: options.dryRun ?? false,
        });
        break;
      } catch (err) {
        if (!isRetryable(err) || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
    const name = obj.metadata.name ?? '';
    names.push(name);
    options.onProgress?.(
      `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${name} applied`,
    );
  }
  return names;
}
