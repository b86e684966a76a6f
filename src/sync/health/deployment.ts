import { quoteGo } from '../../go/index.js';
import type { HealthStatus } from '../types.js';
import { field, findCondition, num, str } from './object-fields.js';

/** gitops-engine `health_deployment.go` semantics (kubectl rollout status). */
export function deploymentHealth(obj: unknown): HealthStatus {
  if (field(obj, 'spec', 'paused') === true) return { status: 'Suspended', message: 'Deployment is paused' };
  const generation = num(obj, 'metadata', 'generation') ?? 0;
  const observed = num(obj, 'status', 'observedGeneration') ?? 0;
  if (generation > observed) {
    return {
      status: 'Progressing',
      message: 'Waiting for rollout to finish: observed deployment generation less than desired generation',
    };
  }
  const replicas = num(obj, 'spec', 'replicas');
  const updated = num(obj, 'status', 'updatedReplicas') ?? 0;
  const current = num(obj, 'status', 'replicas') ?? 0;
  const available = num(obj, 'status', 'availableReplicas') ?? 0;
  if (findCondition(obj, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return {
      status: 'Degraded',
      message: `Deployment ${quoteGo(str(obj, 'metadata', 'name') ?? '')} exceeded its progress deadline`,
    };
  }
  if (replicas !== undefined && updated < replicas) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`,
    };
  }
  if (current > updated) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${current - updated} old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}
