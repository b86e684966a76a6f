import type { HealthStatus } from '../types.js';
import { list } from './object-fields.js';

/** An Ingress is Healthy once its load balancer reports an ingress point. */
export function ingressHealth(obj: unknown): HealthStatus {
  return list(obj, 'status', 'loadBalancer', 'ingress').length > 0
    ? { status: 'Healthy' }
    : { status: 'Progressing' };
}
