import { goJsonSyntaxError } from '../../go/index.js';
import type { HealthStatus } from '../types.js';
import { conditions, field, type StatusCondition, str } from './object-fields.js';

const DEGRADED: readonly (readonly [string, string])[] = [
  ['AbleToScale', 'FailedGetScale'],
  ['AbleToScale', 'FailedUpdateScale'],
  ['ScalingActive', 'FailedGetResourceMetric'],
  ['ScalingActive', 'InvalidSelector'],
];
/** Condition types that make the autoscaler Healthy when True, whatever the reason. */
const HEALTHY_TYPES = ['AbleToScale', 'ScalingLimited'];
const WAITING: HealthStatus = { status: 'Progressing', message: 'Waiting to Autoscale' };

const matches = (table: typeof DEGRADED, c: StatusCondition) =>
  table.some(([type, reason]) => c.type === type && c.reason === reason);

/**
 * gitops-engine `health_hpa.go`: the first condition that is a known failure (type and reason) or a True
 * AbleToScale / ScalingLimited decides; otherwise it is waiting to autoscale.
 */
export function horizontalPodAutoscalerHealth(obj: unknown): HealthStatus {
  let list = conditions(obj);
  if (str(obj, 'apiVersion') === 'autoscaling/v1') {
    const raw = field(obj, 'metadata', 'annotations', 'autoscaling.alpha.kubernetes.io/conditions');
    if (typeof raw !== 'string') return WAITING;
    const decoded = decodeConditionsAnnotation(raw);
    if (typeof decoded === 'string')
      return { status: 'Unknown', message: `failed to convert conditions annotation to typed: ${decoded}` };
    list = decoded;
  }
  for (const c of list) {
    if (matches(DEGRADED, c)) return { status: 'Degraded', message: c.message ?? '' };
    if (c.type !== undefined && HEALTHY_TYPES.includes(c.type) && c.status === 'True')
      return { status: 'Healthy', message: c.message ?? '' };
  }
  return WAITING;
}

const jsonKind = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;

const CONDITION_FIELDS = { type: 'Type', status: 'Status', reason: 'Reason', message: 'Message' } as const;

/**
 * The v1 conditions annotation decoded as Go's encoding/json decodes it into gitops-engine's struct
 * (keys matched case-insensitively, later keys win, null leaves a field empty); a Go-style error text when
 * Go would fail.
 */
function decodeConditionsAnnotation(raw: string): StatusCondition[] | string {
  const syntax = goJsonSyntaxError(raw);
  if (syntax !== undefined) return syntax;
  const parsed: unknown = JSON.parse(raw);
  if (parsed === null) return [];
  if (!Array.isArray(parsed))
    return `json: cannot unmarshal ${jsonKind(parsed) === 'boolean' ? 'bool' : jsonKind(parsed)} into Go value of type []health.hpaCondition`;
  const out: StatusCondition[] = [];
  for (const item of parsed as unknown[]) {
    if (item === null) {
      out.push({});
      continue;
    }
    if (jsonKind(item) !== 'object')
      return `json: cannot unmarshal ${jsonKind(item) === 'boolean' ? 'bool' : jsonKind(item)} into Go value of type health.hpaCondition`;
    const c: Record<string, string> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const name = key.toLowerCase() as keyof typeof CONDITION_FIELDS;
      if (!(name in CONDITION_FIELDS) || value === null) continue;
      if (typeof value !== 'string')
        return `json: cannot unmarshal ${jsonKind(value) === 'boolean' ? 'bool' : jsonKind(value)} into Go struct field hpaCondition.${CONDITION_FIELDS[name]} of type string`;
      c[name] = value;
    }
    out.push(c);
  }
  return out;
}
