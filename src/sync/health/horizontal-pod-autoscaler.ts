import type { HealthStatus } from '../types.js';
import { conditions, field, type StatusCondition, str } from './object-fields.js';

const DEGRADED: readonly (readonly [string, string])[] = [
  ['AbleToScale', 'FailedGetScale'],
  ['AbleToScale', 'FailedUpdateScale'],
  ['ScalingActive', 'FailedGetResourceMetric'],
  ['ScalingActive', 'InvalidSelector'],
];
const HEALTHY: readonly (readonly [string, string])[] = [
  ['AbleToScale', 'SucceededRescale'],
  ['ScalingLimited', 'DesiredWithinRange'],
  ['ScalingLimited', 'TooFewReplicas'],
  ['ScalingLimited', 'TooManyReplicas'],
];
const WAITING: HealthStatus = { status: 'Progressing', message: 'Waiting to Autoscale' };

const matches = (table: typeof DEGRADED, c: StatusCondition) =>
  table.some(([type, reason]) => c.type === type && c.reason === reason);

/** gitops-engine `health_hpa.go`: the first condition that is a known failure or success decides. */
export function horizontalPodAutoscalerHealth(obj: unknown): HealthStatus {
  let list = conditions(obj);
  if (str(obj, 'apiVersion') === 'autoscaling/v1') {
    const raw = field(obj, 'metadata', 'annotations', 'autoscaling.alpha.kubernetes.io/conditions');
    if (typeof raw !== 'string') return WAITING;
    try {
      const parsed: unknown = JSON.parse(raw);
      list = Array.isArray(parsed) ? (parsed as StatusCondition[]) : [];
    } catch {
      return { status: 'Unknown', message: 'cannot parse the autoscaling conditions annotation' };
    }
  }
  for (const c of list) {
    if (matches(DEGRADED, c)) return { status: 'Degraded', message: c.message ?? '' };
    if (matches(HEALTHY, c)) return { status: 'Healthy', message: c.message ?? '' };
  }
  return WAITING;
}
