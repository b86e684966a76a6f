/**
 * The clusters Applications may deploy to: Argo CD cluster Secrets of the controller's namespace
 * (read from a shared informer) plus the implicit in-cluster. Resolution is recomputed from the
 * cache on every call, so a Secret added, changed or removed takes effect on the next reconcile.
 */
import type { Reflector } from '../kube/index.js';
import { clustersFromSecrets, type SecretObject } from './cluster-secret.js';
import { type Destination, type DestinationResolution, resolveDestination } from './destination.js';
import type { ClusterError } from './errors.js';
import type { Cluster } from './types.js';

export class ClusterRegistry {
  private memo: { key: string; clusters: readonly Cluster[]; invalid: readonly ClusterError[] } | undefined;

  constructor(private readonly secrets: Pick<Reflector<SecretObject>, 'store'>) {}

  /** Every registered cluster, and the Secrets that could not be read. */
  list(): { readonly clusters: readonly Cluster[]; readonly invalid: readonly ClusterError[] } {
    const items = this.secrets.store.list();
    const key = items.map((s) => `${s.metadata.uid ?? ''}@${s.metadata.resourceVersion ?? ''}`).join(',');
    if (this.memo?.key !== key) this.memo = { key, ...clustersFromSecrets(items) };
    return this.memo;
  }

  resolve(destination: Destination | undefined): DestinationResolution {
    return resolveDestination(destination, this.list().clusters);
  }
}
