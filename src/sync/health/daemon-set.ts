import { quoteGo } from '../../go/index.js';
import type { HealthStatus } from '../types.js';
import { num, str } from './object-fields.js';

/** gitops-engine `health_daemonset.go` semantics. */
export function daemonSetHealth(obj: unknown): HealthStatus {
  const generation = num(obj, 'metadata', 'generation') ?? 0;
  const observed = num(obj, 'status', 'observedGeneration') ?? 0;
  if (generation > observed) {
    return {
      status: 'Progressing',
      message: 'Waiting for rollout to finish: observed daemon set generation less than desired generation',
    };
  }
  const desired = num(obj, 'status', 'desiredNumberScheduled') ?? 0;
  const updated = num(obj, 'status', 'updatedNumberScheduled') ?? 0;
  const available = num(obj, 'status', 'numberAvailable') ?? 0;
  const name = str(obj, 'metadata', 'name') ?? '';
  if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    return {
      status: 'Healthy',
      message: `daemon set ${updated} out of ${desired} new pods have been updated`,
    };
  }
  if (updated < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for daemon set ${quoteGo(name)} rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
    };
  }
  if (available < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for daemon set ${quoteGo(name)} rollout to finish: ${available} of ${desired} updated pods are available...`,
    };
  }
  return { status: 'Healthy' };
}
