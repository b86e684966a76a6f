import { findCondition } from '../core/index.js';
import { FluxConditionType } from './conditions.js';
import type { Kustomization } from './types.js';

/**
 * kustomize-controller's checkDependencies: every dependency must exist, have observed its
 * generation and be Ready; one from the same source must have applied the same revision. Returns
 * the first failure's message (Flux's text), or undefined when all are ready. Pure.
 */
export function dependencyNotReady(
  k: Kustomization,
  sourceRevision: string,
  lookup: (namespace: string, name: string) => Kustomization | undefined,
): string | undefined {
  const ns = k.metadata.namespace ?? '';
  const sourceNs = k.spec.sourceRef.namespace ?? ns;
  for (const dep of k.spec.dependsOn ?? []) {
    const depNs = dep.namespace || ns;
    const depName = `${depNs}/${dep.name}`;
    const d = lookup(depNs, dep.name);
    if (!d)
      return `dependency '${depName}' not found: Kustomization.kustomize.toolkit.fluxcd.io "${dep.name}" not found`;
    const ready = findCondition(d.status?.conditions, FluxConditionType.Ready);
    if (d.metadata.generation !== d.status?.observedGeneration || ready?.status !== 'True')
      return `dependency '${depName}' is not ready`;
    const sameSource =
      d.spec.sourceRef.kind === k.spec.sourceRef.kind &&
      d.spec.sourceRef.name === k.spec.sourceRef.name &&
      (d.spec.sourceRef.namespace ?? depNs) === sourceNs;
    if (sameSource && d.status?.lastAppliedRevision !== sourceRevision)
      return `dependency '${depName}' revision is not up to date`;
  }
  return undefined;
}
