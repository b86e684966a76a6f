import type { KubeObject } from '../../kube/index.js';
import type { SyncPhase } from '../types.js';

/** gitops-engine's kind order within a wave (kubectl's install order); unknown kinds go last. */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

export const PHASE_ORDER: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

export function kindRank(kind: string | undefined): number {
  const i = KIND_ORDER.indexOf(kind ?? '');
  return i < 0 ? KIND_ORDER.length : i;
}

/** `argocd.argoproj.io/sync-wave` (default 0; an unparsable value counts as 0). */
export function syncWave(obj: KubeObject): number {
  const raw = obj.metadata.annotations?.['argocd.argoproj.io/sync-wave'];
  const n = raw === undefined ? 0 : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : 0;
}

export interface Ordered {
  readonly phase: SyncPhase;
  readonly wave: number;
  readonly obj: KubeObject;
}

/** Phase → wave → kind → name (the order gitops-engine applies in). */
export function compareTasks(a: Ordered, b: Ordered): number {
  return (
    PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) ||
    a.wave - b.wave ||
    kindRank(a.obj.kind) - kindRank(b.obj.kind) ||
    (a.obj.kind ?? '').localeCompare(b.obj.kind ?? '') ||
    (a.obj.metadata.namespace ?? '').localeCompare(b.obj.metadata.namespace ?? '') ||
    (a.obj.metadata.name ?? '').localeCompare(b.obj.metadata.name ?? '')
  );
}

/** Prune order: the reverse of the apply order. */
export function comparePrune(a: Ordered, b: Ordered): number {
  return -compareTasks(a, b);
}

/** Groups sorted tasks into steps of one phase and wave. */
export function groupSteps<T extends Ordered>(tasks: readonly T[]): T[][] {
  const sorted = [...tasks].sort(compareTasks);
  const steps: T[][] = [];
  for (const t of sorted) {
    const last = steps[steps.length - 1];
    if (last && last[0]!.phase === t.phase && last[0]!.wave === t.wave) last.push(t);
    else steps.push([t]);
  }
  return steps;
}
