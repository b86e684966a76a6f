import type { HealthStatus } from '../types.js';
import { conditions } from './object-fields.js';

/**
 * gitops-engine `health_job.go`: a Failed or Complete condition (whatever its status) completes the Job,
 * Failed → Degraded; a Suspended condition completes it too, and only a True one makes it Suspended (with the
 * failure message, as upstream); `spec.suspend` alone is not judged. Otherwise Progressing.
 */
export function jobHealth(obj: unknown): HealthStatus {
  let failed = false;
  let complete = false;
  let suspended = false;
  let failMessage = '';
  let message = '';
  for (const c of conditions(obj)) {
    if (c.type === 'Failed') {
      failed = true;
      complete = true;
      failMessage = c.message ?? '';
    } else if (c.type === 'Complete') {
      complete = true;
      message = c.message ?? '';
    } else if (c.type === 'Suspended') {
      complete = true;
      message = c.message ?? '';
      if (c.status === 'True') suspended = true;
    }
  }
  if (!complete) return { status: 'Progressing', message };
  if (failed) return { status: 'Degraded', message: failMessage };
  if (suspended) return { status: 'Suspended', message: failMessage };
  return { status: 'Healthy', message };
}
