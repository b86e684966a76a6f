// INTERIM (lead: switch to the upstream CRDs once they are installed by the shared test setup).
// Installs a minimal CRD for a traffic router's kind ONLY IF the cluster has none: the real
// group/kind/versions with an open schema (`x-kubernetes-preserve-unknown-fields`), enough for a router's
// integration test to create, patch and read back its objects.
import {
  type GroupVersionKind,
  isAlreadyExists,
  type KubeClient,
  type KubeObject,
} from '../../../src/kube/index.js';
import { eventually } from '../kube.js';

const CRD = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' } as const;

interface CrdObject extends KubeObject {
  readonly spec: { readonly versions: readonly { readonly name: string; readonly served: boolean }[] };
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

export interface InterimCrd {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  /** The first is the storage version. */
  readonly versions: readonly string[];
}

/** Ensures the kind's CRD exists (installing the interim one if absent); returns the versions it serves. */
export async function ensureInterimCrd(client: KubeClient, crd: InterimCrd): Promise<string[]> {
  const name = `${crd.plural}.${crd.group}`;
  try {
    await client.create({
      ...CRD,
      metadata: { name, labels: { 'slipway.dev/interim-test-crd': 'true' } },
      spec: {
        group: crd.group,
        scope: 'Namespaced',
        names: {
          kind: crd.kind,
          listKind: `${crd.kind}List`,
          plural: crd.plural,
          singular: crd.kind.toLowerCase(),
        },
        versions: crd.versions.map((v, i) => ({
          name: v,
          served: true,
          storage: i === 0,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        })),
      },
    });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const established = await eventually(
    `CRD ${name} established`,
    async () => {
      const got = await client.get<CrdObject>({ ...CRD, name });
      const ok = (got.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
      return ok && got;
    },
    60_000,
  );
  const served = established.spec.versions.filter((v) => v.served).map((v) => v.name);
  for (const version of served)
    await waitForKind(client, { apiVersion: `${crd.group}/${version}`, kind: crd.kind });
  return served;
}

/** Waits until discovery knows a kind whose CRD was just installed (a list of it answers). */
export async function waitForKind(client: KubeClient, gvk: GroupVersionKind): Promise<void> {
  await eventually(
    `${gvk.kind} ${gvk.apiVersion} in discovery`,
    async () => {
      client.discovery.invalidate();
      await client.list(gvk, { limit: 1 });
      return true;
    },
    60_000,
    500,
  );
}
