import type { HealthStatus } from '../types.js';
import { findCondition } from './object-fields.js';

/** gitops-engine `health_apiservice.go`: the Available condition decides. */
export function apiServiceHealth(obj: unknown): HealthStatus {
  const available = findCondition(obj, 'Available');
  if (!available) return { status: 'Progressing', message: 'Waiting to be processed' };
  const message = `${available.reason ?? ''}: ${available.message ?? ''}`;
  return { status: available.status === 'True' ? 'Healthy' : 'Progressing', message };
}
