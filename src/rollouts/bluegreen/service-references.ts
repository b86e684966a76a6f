/**
 * Argo Rollouts' reference checks of the blue-green Services (getReferencedServices in rollout/controller.go
 * and ValidateService in pkg/apis/rollouts/validation/validation_references.go), with Argo's messages: the
 * active and preview Services must exist, select only labels of the pod template (besides the
 * pod-template hash), and not be managed by another Rollout. Pure.
 */
import type { KubeObject } from '../../kube/index.js';
import { MANAGED_BY_ANNOTATION } from '../controller/services.js';
import { POD_TEMPLATE_HASH_LABEL } from '../spec/pod-template-hash.js';
import type { Rollout } from '../types.js';

const invalid = (field: string, name: string, message: string) =>
  `spec.strategy.blueGreen.${field}: Invalid value: "${name}": ${message}`;

export function blueGreenServiceError(
  rollout: Rollout,
  services: ReadonlyMap<string, KubeObject>,
): string | undefined {
  const blueGreen = rollout.spec?.strategy?.blueGreen;
  const labels = rollout.spec?.template?.metadata?.labels ?? {};
  for (const field of ['activeService', 'previewService'] as const) {
    const name = blueGreen?.[field] ?? '';
    if (name === '') continue;
    const service = services.get(name);
    if (service === undefined) return invalid(field, name, `service "${name}" not found`);
    const selector = (service.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
    for (const [key, value] of Object.entries(selector)) {
      if (key === POD_TEMPLATE_HASH_LABEL || labels[key] === value) continue;
      return invalid(field, name, `Service "${name}" has unmatch label "${key}" in rollout`);
    }
    const manager = service.metadata.annotations?.[MANAGED_BY_ANNOTATION];
    if (manager !== undefined && manager !== rollout.metadata?.name)
      return invalid(field, name, `Service "${name}" is managed by another Rollout`);
  }
  return undefined;
}
