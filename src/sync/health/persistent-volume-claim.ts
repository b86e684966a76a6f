import type { HealthStatus } from '../types.js';
import { str } from './object-fields.js';

/** gitops-engine `health_pvc.go`: Bound → Healthy, Pending → Progressing, Lost → Degraded. */
export function persistentVolumeClaimHealth(obj: unknown): HealthStatus {
  switch (str(obj, 'status', 'phase')) {
    case 'Lost':
      return { status: 'Degraded' };
    case 'Pending':
      return { status: 'Progressing' };
    case 'Bound':
      return { status: 'Healthy' };
    default:
      return { status: 'Unknown' };
  }
}
