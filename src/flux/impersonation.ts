import { isNotFound, type KubeClient } from '../kube/index.js';
import { ResourceManager } from '../sync/index.js';

/** Who applies, prunes and reads health for a Kustomization or HelmRelease: the controller, or a ServiceAccount. */
export interface Actor {
  readonly client: KubeClient;
  readonly rm: ResourceManager;
  /** The impersonated ServiceAccount's name (in the object's namespace). */
  readonly serviceAccount?: string;
}

/** A Kustomization or HelmRelease: what impersonation reads of it. */
export interface ImpersonatingObject {
  readonly metadata: { readonly namespace?: string };
  readonly spec: { readonly serviceAccountName?: string };
}

/**
 * kustomize-controller's and helm-controller's impersonation (fluxcd/pkg runtime's Impersonator):
 * the object's `serviceAccountName`, else the default account (`--default-service-account`), as the
 * user `system:serviceaccount:<namespace>:<name>` with no groups; neither: the controller itself.
 */
export function actorFor(
  client: KubeClient,
  rm: ResourceManager,
  k: ImpersonatingObject,
  defaultServiceAccount: string | undefined,
): Actor {
  const name = k.spec.serviceAccountName || defaultServiceAccount;
  if (!name) return { client, rm };
  const as = client.impersonating({
    username: `system:serviceaccount:${k.metadata.namespace ?? ''}:${name}`,
  });
  return { client: as, rm: new ResourceManager(as), serviceAccount: name };
}

/** Whether the account exists (Flux's CanImpersonate, read as the controller). */
export async function serviceAccountExists(client: KubeClient, namespace: string, name: string) {
  try {
    await client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace, name });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
