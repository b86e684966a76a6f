import { groupKindKey, type KubeObject } from '../../kube/index.js';
import type { HealthStatus, HealthStatusCode } from '../types.js';
import { apiServiceHealth } from './api-service.js';
import { customResourceDefinitionHealth } from './custom-resource-definition.js';
import { daemonSetHealth } from './daemon-set.js';
import { deploymentHealth } from './deployment.js';
import { horizontalPodAutoscalerHealth } from './horizontal-pod-autoscaler.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import { persistentVolumeClaimHealth } from './persistent-volume-claim.js';
import { podHealth } from './pod.js';
import { replicaSetHealth } from './replica-set.js';
import { rolloutHealth } from './rollout.js';
import { serviceHealth } from './service.js';
import { statefulSetHealth } from './stateful-set.js';

type Check = (obj: unknown) => HealthStatus;

/** Health checks by `group/kind` (group "" for the core API). */
const CHECKS: Readonly<Record<string, Check>> = {
  'apps/Deployment': deploymentHealth,
  'extensions/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'extensions/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  'extensions/ReplicaSet': replicaSetHealth,
  '/Pod': podHealth,
  '/Service': serviceHealth,
  '/PersistentVolumeClaim': persistentVolumeClaimHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  'extensions/Ingress': ingressHealth,
  'batch/Job': jobHealth,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerHealth,
  'apiregistration.k8s.io/APIService': apiServiceHealth,
  'argoproj.io/Rollout': rolloutHealth,
  'apiextensions.k8s.io/CustomResourceDefinition': customResourceDefinitionHealth,
};

/**
 * The health of one live object with gitops-engine semantics, or undefined for kinds without a
 * health notion (ConfigMaps, RBAC…), which count as Healthy in the app. An object being deleted is
 * Progressing ("Pending deletion").
 */
export function assessHealth(obj: KubeObject): HealthStatus | undefined {
  const check = CHECKS[groupKindKey(obj.apiVersion, obj.kind)];
  if (obj.metadata.deletionTimestamp && check) return { status: 'Progressing', message: 'Pending deletion' };
  return check?.(obj);
}

/** Argo CD's order, best to worst: an app's health is its worst resource's. */
const ORDER: readonly HealthStatusCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

export function isWorseHealth(a: HealthStatusCode, b: HealthStatusCode): boolean {
  return ORDER.indexOf(a) > ORDER.indexOf(b);
}

export interface NamedHealth {
  readonly kind: string;
  readonly name: string;
  readonly health: HealthStatus;
}

/** Worst of the resources' health; the message names the resource that decided it. */
export function aggregateHealth(resources: readonly NamedHealth[]): HealthStatus {
  let worst: NamedHealth | undefined;
  for (const r of resources) {
    if (!worst || isWorseHealth(r.health.status, worst.health.status)) worst = r;
  }
  if (!worst || worst.health.status === 'Healthy') return { status: 'Healthy' };
  const why = worst.health.message ? `: ${worst.health.message}` : '';
  return {
    status: worst.health.status,
    message: `${worst.kind} ${worst.name} is ${worst.health.status}${why}`,
  };
}
