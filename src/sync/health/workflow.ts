import type { HealthStatus } from '../types.js';
import { str } from './object-fields.js';

/** gitops-engine `health_argo.go`: an Argo Workflow's phase decides; its message is kept. */
export function workflowHealth(obj: unknown): HealthStatus {
  const message = str(obj, 'status', 'message') ?? '';
  switch (str(obj, 'status', 'phase') ?? '') {
    case '':
    case 'Pending':
    case 'Running':
      return { status: 'Progressing', message };
    case 'Succeeded':
      return { status: 'Healthy', message };
    case 'Failed':
    case 'Error':
      return { status: 'Degraded', message };
    default:
      return { status: 'Unknown', message };
  }
}
