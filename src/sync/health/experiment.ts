import type { HealthStatus } from '../types.js';
import { field, str } from './object-fields.js';

/**
 * Argo CD's built-in Experiment health (resource_customizations/argoproj.io/Experiment/health.lua):
 * the Experiment controller's `status.phase` decides. A phase the script does not name (Inconclusive)
 * leaves the status empty there; it is Unknown here.
 */
export function experimentHealth(obj: unknown): HealthStatus {
  if (field(obj, 'status') === undefined) {
    return {
      status: 'Progressing',
      message: 'Waiting for experiment to finish: status has not been reconciled.',
    };
  }
  switch (str(obj, 'status', 'phase')) {
    case 'Pending':
      return { status: 'Progressing', message: 'Experiment is pending' };
    case 'Running':
      return { status: 'Progressing', message: 'Experiment is running' };
    case 'Successful':
      return { status: 'Healthy', message: 'Experiment is successful' };
    case 'Failed':
      return { status: 'Degraded', message: 'Experiment has failed' };
    case 'Error':
      return { status: 'Degraded', message: 'Experiment had an error' };
    default:
      return { status: 'Unknown' };
  }
}
