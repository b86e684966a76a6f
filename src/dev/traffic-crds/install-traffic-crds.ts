import { createHash } from 'node:crypto';
import { INSTALL_FIELD_MANAGER, waitForCrdsEstablished } from '../../install/index.js';
import {
  isAlreadyExists,
  isNotFound,
  isRetryable,
  type KubeClient,
  type KubeObject,
} from '../../kube/index.js';
import { ensureTrafficCrds, loadTrafficCrds, type TrafficCrdOptions } from './traffic-crds.js';

/** Digest of the CRD as Slipway installs it: an installed CRD carrying the same one is left alone. */
export const CONTENT_DIGEST_ANNOTATION = 'slipway.dev/content-sha256';

export interface InstallTrafficCrdsOptions extends TrafficCrdOptions {
  /** How long to wait for every CRD to be Established. Default 120 s. */
  readonly timeoutMs?: number;
}

/**
 * Fetches (when needed) and installs the upstream traffic CRDs, then waits until every one is
 * Established; returns their names. A CRD already installed with the same content is skipped, a
 * missing one is created, a different one is server-side applied (these CRDs are large: an apply costs
 * the API server about ten times a read). Idempotent; safe to run concurrently.
 */
export async function installTrafficCrds(
  client: KubeClient,
  options: InstallTrafficCrdsOptions = {},
): Promise<string[]> {
  const crds = loadTrafficCrds(await ensureTrafficCrds(options)).map(withDigest);
  // one at a time: concurrent creates measured no faster (the API server's CPU is the limit)
  for (const crd of crds) {
    // a loaded API server can time out or throttle one call; every step is idempotent, so try again
    for (let attempt = 1; ; attempt++) {
      try {
        await installOne(client, crd, options);
        break;
      } catch (err) {
        if (!isRetryable(err) || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }
  const names = crds.map((c) => c.metadata.name ?? '');
  await waitForCrdsEstablished(client, names, {
    timeoutMs: options.timeoutMs ?? 120_000,
    onProgress: options.onProgress,
  });
  return names;
}

function withDigest(crd: KubeObject): KubeObject {
  const digest = createHash('sha256').update(JSON.stringify(crd)).digest('hex');
  const annotations = { ...(crd.metadata.annotations ?? {}), [CONTENT_DIGEST_ANNOTATION]: digest };
  return { ...crd, metadata: { ...crd.metadata, annotations } };
}

async function installOne(client: KubeClient, crd: KubeObject, options: TrafficCrdOptions): Promise<void> {
  const ref = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    name: crd.metadata.name ?? '',
  };
  const want = crd.metadata.annotations?.[CONTENT_DIGEST_ANNOTATION];
  const live = await client.get(ref).catch((err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
  if (live?.metadata.annotations?.[CONTENT_DIGEST_ANNOTATION] === want) {
    options.onProgress?.(`crd ${ref.name} unchanged`);
    return;
  }
  if (live === undefined) {
    try {
      await client.create(crd, { fieldManager: INSTALL_FIELD_MANAGER });
      options.onProgress?.(`crd ${ref.name} created`);
      return;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err; // a concurrent installer won: apply over it
    }
  }
  await client.apply(crd, { fieldManager: INSTALL_FIELD_MANAGER, force: true });
  options.onProgress?.(`crd ${ref.name} applied`);
}
