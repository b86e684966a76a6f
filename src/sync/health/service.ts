import type { HealthStatus } from '../types.js';
import { list, str } from './object-fields.js';

/** A LoadBalancer Service is Healthy once it has an ingress point; other Services always are. */
export function serviceHealth(obj: unknown): HealthStatus {
  if (str(obj, 'spec', 'type') !== 'LoadBalancer') return { status: 'Healthy' };
  return list(obj, 'status', 'loadBalancer', 'ingress').length > 0
    ? { status: 'Healthy' }
    : { status: 'Progressing' };
}
