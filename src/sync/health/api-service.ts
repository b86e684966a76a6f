import type { HealthStatus } from '../types.js';
import { findCondition } from './object-fields.js';

/** gitops-engine `health_apiservice.go`: the Available condition decides. */
export function apiServiceHealth(obj: unknown): HealthStatus {
  const available = findCondition(obj, 'Available');
  if (!available) return { status: 'Progressing', message: 'Waiting to be processed' };
  if (available.status === 'True') return { status: 'Healthy', message: available.message ?? '' };
  return { status: 'Progressing', message: `${available.reason ?? ''}: ${available.message ?? ''}` };
}
