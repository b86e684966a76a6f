import type { HealthStatus } from '../types.js';
import { field, num, str } from './object-fields.js';

/** gitops-engine `health_statefulset.go` semantics. */
export function statefulSetHealth(obj: unknown): HealthStatus {
  const generation = num(obj, 'metadata', 'generation') ?? 0;
  const observed = num(obj, 'status', 'observedGeneration') ?? 0;
  if (observed === 0 || generation > observed) {
    return { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' };
  }
  const replicas = num(obj, 'spec', 'replicas');
  const ready = num(obj, 'status', 'readyReplicas') ?? 0;
  const updated = num(obj, 'status', 'updatedReplicas') ?? 0;
  if (replicas !== undefined && ready < replicas) {
    return { status: 'Progressing', message: `Waiting for ${replicas - ready} pods to be ready...` };
  }
  const strategy = str(obj, 'spec', 'updateStrategy', 'type');
  if (strategy === 'RollingUpdate' && field(obj, 'spec', 'updateStrategy', 'rollingUpdate') !== undefined) {
    const partition = num(obj, 'spec', 'updateStrategy', 'rollingUpdate', 'partition');
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return {
        status: 'Progressing',
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`,
      };
    }
    return {
      status: 'Healthy',
      message: `partitioned roll out complete: ${updated} new pods have been updated...`,
    };
  }
  if (strategy === 'OnDelete') return { status: 'Healthy', message: `statefulset has ${ready} ready pods` };
  const updateRevision = str(obj, 'status', 'updateRevision') ?? '';
  const currentRevision = str(obj, 'status', 'currentRevision') ?? '';
  if (updateRevision !== currentRevision) {
    return {
      status: 'Progressing',
      message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`,
    };
  }
  const current = num(obj, 'status', 'currentReplicas') ?? 0;
  return {
    status: 'Healthy',
    message: `statefulset rolling update complete ${current} pods at revision ${currentRevision}...`,
  };
}
