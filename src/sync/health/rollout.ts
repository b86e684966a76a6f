import type { HealthStatus } from '../types.js';
import { field, num, str } from './object-fields.js';

/**
 * Argo CD's built-in Rollout health (resource_customizations/argoproj.io/Rollout): the Rollout
 * controller computes `status.phase`; Paused → Suspended, an aborted rollout → Degraded.
 */
export function rolloutHealth(obj: unknown): HealthStatus {
  const generation = num(obj, 'metadata', 'generation');
  const observed = num(obj, 'status', 'observedGeneration');
  if (generation !== undefined && observed !== undefined && observed < generation) {
    return { status: 'Progressing', message: 'Waiting for rollout spec update to be observed' };
  }
  const message = str(obj, 'status', 'message');
  if (field(obj, 'status', 'abort') === true) {
    return { status: 'Degraded', message: message ?? 'Rollout is aborted' };
  }
  switch (str(obj, 'status', 'phase')) {
    case 'Paused':
      return { status: 'Suspended', message: message ?? 'Rollout is paused' };
    case 'Healthy':
      return { status: 'Healthy', ...(message && { message }) };
    case 'Degraded':
      return { status: 'Degraded', ...(message && { message }) };
    case 'Progressing':
      return { status: 'Progressing', ...(message && { message }) };
    default:
      return { status: 'Progressing', message: message ?? 'Waiting for rollout status' };
  }
}
