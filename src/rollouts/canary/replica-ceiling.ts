/**
 * The replica ceiling: `spec.replicas` above the controller's `--max-replicas` (a typo such as
 * `replicas: 1000000000`, or an HPA or `kubectl scale` going through the scale subresource) is
 * reported as InvalidSpec and nothing is scaled, instead of asking the cluster for that many pods.
 * Pure.
 */

/** Default `--max-replicas`: well above any real workload, far below a typo's thousands of millions. */
export const DEFAULT_MAX_REPLICAS = 10_000;

/** The InvalidSpec error text when `spec.replicas` is above `maxReplicas`; undefined when within it. */
export function replicaCeilingError(
  spec: { readonly replicas?: number } | undefined,
  maxReplicas: number,
): string | undefined {
  const replicas = spec?.replicas ?? 1;
  if (replicas <= maxReplicas) return undefined;
  return `spec.replicas: Invalid value: ${replicas}: must be no more than ${maxReplicas}, the controller's replica ceiling (slipway controller --max-replicas)`;
}
