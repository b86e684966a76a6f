import { groupKindKey, groupOf, type KubeObject, versionOf } from '../../kube/index.js';
import type { HealthStatus, HealthStatusCode } from '../types.js';
import { apiServiceHealth } from './api-service.js';
import { customResourceDefinitionHealth } from './custom-resource-definition.js';
import { daemonSetHealth } from './daemon-set.js';
import { deploymentHealth } from './deployment.js';
import { experimentHealth } from './experiment.js';
import { horizontalPodAutoscalerHealth } from './horizontal-pod-autoscaler.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import { persistentVolumeClaimHealth } from './persistent-volume-claim.js';
import { podHealth } from './pod.js';
import { replicaSetHealth } from './replica-set.js';
import { rolloutHealth } from './rollout.js';
import { serviceHealth } from './service.js';
import { statefulSetHealth } from './stateful-set.js';
import { workflowHealth } from './workflow.js';

type Check = (obj: unknown) => HealthStatus;

interface KindCheck {
  readonly check: Check;
  /** The versions gitops-engine converts to typed objects; another version is Unknown ("unsupported … GVK"). */
  readonly versions?: readonly string[];
  /** The kind's name in the "unsupported GVK" message (gitops-engine's: `HPA` for the autoscaler). */
  readonly label?: string;
}

/** Health checks by `group/kind` (group "" for the core API), as gitops-engine's GetHealthCheckFunc. */
const CHECKS: Readonly<Record<string, KindCheck>> = {
  'apps/Deployment': { check: deploymentHealth, versions: ['v1'] },
  'apps/StatefulSet': { check: statefulSetHealth, versions: ['v1'] },
  'apps/DaemonSet': { check: daemonSetHealth, versions: ['v1'] },
  'apps/ReplicaSet': { check: replicaSetHealth, versions: ['v1'] },
  '/Pod': { check: podHealth, versions: ['v1'] },
  '/Service': { check: serviceHealth, versions: ['v1'] },
  '/PersistentVolumeClaim': { check: persistentVolumeClaimHealth, versions: ['v1'] },
  'networking.k8s.io/Ingress': { check: ingressHealth },
  'extensions/Ingress': { check: ingressHealth },
  'batch/Job': { check: jobHealth, versions: ['v1'] },
  'autoscaling/HorizontalPodAutoscaler': {
    check: horizontalPodAutoscalerHealth,
    versions: ['v1', 'v2beta1', 'v2beta2', 'v2'],
    label: 'HPA',
  },
  'apiregistration.k8s.io/APIService': { check: apiServiceHealth, versions: ['v1', 'v1beta1'] },
  'argoproj.io/Workflow': { check: workflowHealth },
  // Argo CD's built-in resource customizations (Lua in Argo CD, not gitops-engine):
  'argoproj.io/Rollout': { check: rolloutHealth },
  'argoproj.io/Experiment': { check: experimentHealth },
  'apiextensions.k8s.io/CustomResourceDefinition': { check: customResourceDefinitionHealth },
};

/** Argo CD keeps a hook being deleted under its own finalizer out of "Pending deletion". */
const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

/**
 * The health of one live object with gitops-engine semantics, or undefined for kinds without a
 * health notion (ConfigMaps, RBAC…), which count as Healthy in the app. An object being deleted is
 * Progressing ("Pending deletion") whatever its kind, unless it holds the hook finalizer.
 */
export function assessHealth(obj: KubeObject): HealthStatus | undefined {
  if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.includes(HOOK_FINALIZER))
    return { status: 'Progressing', message: 'Pending deletion' };
  const entry = CHECKS[groupKindKey(obj.apiVersion, obj.kind)];
  if (entry === undefined) return undefined;
  const version = versionOf(obj.apiVersion);
  if (entry.versions && !entry.versions.includes(version)) {
    const group = groupOf(obj.apiVersion);
    return {
      status: 'Unknown',
      message: `unsupported ${entry.label ?? obj.kind} GVK: ${group}/${version}, Kind=${obj.kind}`,
    };
  }
  return entry.check(obj);
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
