import type { HealthStatus } from '../types.js';
import { findCondition, num } from './object-fields.js';

/** gitops-engine `health_replicaset.go` semantics. */
export function replicaSetHealth(obj: unknown): HealthStatus {
  const generation = num(obj, 'metadata', 'generation') ?? 0;
  const observed = num(obj, 'status', 'observedGeneration') ?? 0;
  if (generation > observed) {
    return {
      status: 'Progressing',
      message: 'Waiting for rollout to finish: observed replica set generation less than desired generation',
    };
  }
  // the first ReplicaFailure condition decides, as upstream reads it
  const failure = findCondition(obj, 'ReplicaFailure');
  if (failure?.status === 'True') return { status: 'Degraded', message: failure.message ?? '' };
  const replicas = num(obj, 'spec', 'replicas');
  const available = num(obj, 'status', 'availableReplicas') ?? 0;
  if (replicas !== undefined && available < replicas) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} out of ${replicas} new replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}
