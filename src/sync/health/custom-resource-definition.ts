import type { HealthStatus } from '../types.js';
import { findCondition } from './object-fields.js';

/** A CRD is Healthy once Established (later waves may create its objects). */
export function customResourceDefinitionHealth(obj: unknown): HealthStatus {
  const established = findCondition(obj, 'Established');
  if (established?.status === 'True') return { status: 'Healthy' };
  const conflict = findCondition(obj, 'NamesAccepted');
  if (conflict?.status === 'False') return { status: 'Degraded', message: conflict.message ?? '' };
  return { status: 'Progressing', message: 'Waiting for the CRD to be established' };
}
