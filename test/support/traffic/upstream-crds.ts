// The upstream traffic CRDs (Istio, Gateway API, SMI) the shared test cluster installs before any test
// runs (test/support/cluster/shared.ts, src/dev/traffic-crds). Router tests require them, never stand-ins.
import { CONTENT_DIGEST_ANNOTATION } from '../../../src/dev/traffic-crds/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../../src/kube/index.js';
import { waitForKind } from '../discovery.js';

interface Crd extends KubeObject {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly { readonly name: string; readonly served: boolean }[];
  };
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

const HOW =
  'the shared test cluster installs the upstream traffic CRDs: run integration tests through test/run.mjs';

/**
 * Requires the named upstream CRD (e.g. `trafficsplits.split.smi-spec.io`): installed by the test
 * runner and Established. Waits until each served version answers; returns the served versions.
 * Fails with a clear message otherwise.
 */
export async function requireUpstreamCrd(client: KubeClient, name: string): Promise<string[]> {
  let crd: Crd;
  try {
    crd = await client.get<Crd>({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name,
    });
  } catch (err) {
    if (isNotFound(err)) throw new Error(`CRD ${name} is not installed; ${HOW}`);
    throw err;
  }
  if (crd.metadata.annotations?.[CONTENT_DIGEST_ANNOTATION] === undefined)
    throw new Error(`CRD ${name} was not installed from the pinned upstream release; ${HOW}`);
  if (!(crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True'))
    throw new Error(`CRD ${name} is not Established; ${HOW}`);
  const served = crd.spec.versions.filter((v) => v.served).map((v) => v.name);
  for (const version of served)
    await waitForKind(client, { apiVersion: `${crd.spec.group}/${version}`, kind: crd.spec.names.kind });
  return served;
}
