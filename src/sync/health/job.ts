import type { HealthStatus } from '../types.js';
import { conditions, field } from './object-fields.js';

/** gitops-engine `health_job.go`: Failed → Degraded, Complete → Healthy, suspended → Suspended, else Progressing. */
export function jobHealth(obj: unknown): HealthStatus {
  let failed = false;
  let complete = false;
  let suspended = false;
  let failMessage = '';
  let message = '';
  for (const c of conditions(obj)) {
    if (c.status !== 'True') continue;
    if (c.type === 'Failed') {
      failed = true;
      complete = true;
      failMessage = c.message ?? '';
    } else if (c.type === 'Complete') {
      complete = true;
      message = c.message ?? '';
    } else if (c.type === 'Suspended') {
      complete = true;
      suspended = true;
      message = c.message ?? '';
    }
  }
  if (!complete) {
    return field(obj, 'spec', 'suspend') === true
      ? { status: 'Suspended', message: 'Job is suspended' }
      : { status: 'Progressing', message };
  }
  if (failed) return { status: 'Degraded', message: failMessage };
  if (suspended) return { status: 'Suspended', message };
  return { status: 'Healthy', message };
}
