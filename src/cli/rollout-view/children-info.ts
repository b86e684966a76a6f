/**
 * A Rollout's children as the upstream plugin lists them (pkg/kubectl-argo-rollouts/info): its
 * ReplicaSets with their pods, its AnalysisRuns with their Jobs, its Experiments with theirs. Pure.
 */
import type { Experiment } from '../../experiments/index.js';
import type { KubeObject } from '../../kube/index.js';
import type { ReplicaSet, Rollout } from '../../rollouts/index.js';
import { type PodInfo, type PodObject, podInfo } from './pod-info.js';

export type AnalysisRunObject = KubeObject & {
  readonly status?: {
    readonly phase?: string;
    readonly metricResults?: readonly {
      readonly name?: string;
      readonly successful?: number;
      readonly failed?: number;
      readonly error?: number;
      readonly inconclusive?: number;
      readonly measurements?: readonly {
        readonly phase?: string;
        readonly startedAt?: string;
        readonly metadata?: Readonly<Record<string, string>>;
      }[];
    }[];
  };
};

/** The objects of the Rollout's namespace the view looks at (each filtered by owner). */
export interface NamespaceObjects {
  readonly replicaSets: readonly ReplicaSet[];
  readonly pods: readonly PodObject[];
  readonly analysisRuns: readonly AnalysisRunObject[];
  readonly experiments?: readonly Experiment[];
}

export type RolloutTag = 'stable' | 'canary' | 'active' | 'preview';

export interface ReplicaSetInfo {
  readonly name: string;
  readonly creationTimestamp: string | undefined;
  readonly revision: number;
  readonly status: string;
  /** status.replicas: a ReplicaSet with pods contributes its images. */
  readonly replicas: number;
  readonly available: number;
  readonly tags: readonly RolloutTag[];
  /** An Experiment's ReplicaSet: its template name. */
  readonly template: string;
  readonly images: readonly string[];
  /** The `scale-down-deadline` annotation (RFC 3339), when set. */
  readonly scaleDownDeadline: string | undefined;
  readonly pods: readonly PodInfo[];
}

export interface AnalysisRunInfo {
  readonly name: string;
  readonly creationTimestamp: string | undefined;
  readonly revision: number;
  readonly status: string;
  readonly successful: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly error: number;
  readonly jobs: readonly { name: string; status: string; startedAt: string | undefined }[];
}

export interface ExperimentInfo {
  readonly name: string;
  readonly creationTimestamp: string | undefined;
  readonly revision: number;
  readonly status: string;
  readonly replicaSets: readonly ReplicaSetInfo[];
  readonly analysisRuns: readonly AnalysisRunInfo[];
}

const HASH_LABEL = 'rollouts-pod-template-hash';
const REVISION = 'rollout.argoproj.io/revision';
const SCALE_DOWN_DEADLINE = 'scale-down-deadline';
const TEMPLATE_NAME = 'experiment.argoproj.io/template-name';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const created = (o: { creationTimestamp: string | undefined }) => Date.parse(o.creationTimestamp ?? '') || 0;

function revisionOf(o: KubeObject): number {
  const n = Number.parseInt(o.metadata.annotations?.[REVISION] ?? '', 10);
  return Number.isNaN(n) ? 0 : n;
}

const ownedBy = (o: KubeObject, uid: string | undefined): boolean =>
  uid !== undefined && (o.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);

function replicaSetHealth(rs: ReplicaSet): string {
  const desired = rs.spec?.replicas;
  if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) return 'Progressing';
  if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True'))
    return 'ReplicaFailure';
  if (desired !== undefined && (rs.status?.availableReplicas ?? 0) < desired) return 'Progressing';
  return desired === 0 ? 'ScaledDown' : 'Healthy';
}

/** stable/canary of a canary, stable and active/preview of a blue-green; none for an Experiment's. */
function tagsOf(r: Rollout | undefined, hash: string): RolloutTag[] {
  const s = r?.status ?? {};
  const tags: RolloutTag[] = [];
  if (r?.spec?.strategy?.canary !== undefined) {
    if (s.stableRS === hash) tags.push('stable');
    else if (s.currentPodHash === hash) tags.push('canary');
  }
  if (r?.spec?.strategy?.blueGreen !== undefined) {
    if (s.stableRS === hash) tags.push('stable');
    if (s.blueGreen?.activeSelector === hash) tags.push('active');
    else if (s.blueGreen?.previewSelector === hash) tags.push('preview');
  }
  return tags;
}

/** ReplicaSets owned by `ownerUid` with their pods: newest revision first, then by name. */
export function replicaSetInfos(
  ownerUid: string | undefined,
  rollout: Rollout | undefined,
  world: NamespaceObjects,
): ReplicaSetInfo[] {
  return world.replicaSets
    .filter((rs) => ownedBy(rs, ownerUid))
    .map((rs) => ({
      name: rs.metadata.name ?? '',
      creationTimestamp: rs.metadata.creationTimestamp,
      revision: revisionOf(rs),
      status: replicaSetHealth(rs),
      replicas: rs.status?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
      tags: tagsOf(rollout, rs.metadata.labels?.[HASH_LABEL] ?? ''),
      template: rs.metadata.annotations?.[TEMPLATE_NAME] ?? '',
      images: (
        (rs.spec?.template?.spec as { containers?: { image?: string }[] } | undefined)?.containers ?? []
      ).map((c) => c.image ?? ''),
      scaleDownDeadline: rs.metadata.annotations?.[SCALE_DOWN_DEADLINE],
      pods: world.pods
        .filter((p) => ownedBy(p, rs.metadata.uid))
        .map(podInfo)
        .sort((a, b) => created(a) - created(b) || byName(a, b)),
    }))
    .sort((a, b) => b.revision - a.revision || byName(a, b));
}

/** AnalysisRuns owned by `ownerUid`: newest revision first, then oldest, then by name descending. */
export function analysisRunInfos(ownerUid: string | undefined, world: NamespaceObjects): AnalysisRunInfo[] {
  return world.analysisRuns
    .filter((run) => ownedBy(run, ownerUid))
    .map((run) => {
      const results = run.status?.metricResults ?? [];
      const sum = (k: 'successful' | 'failed' | 'inconclusive' | 'error') =>
        results.reduce((n, m) => n + (m[k] ?? 0), 0);
      return {
        name: run.metadata.name ?? '',
        creationTimestamp: run.metadata.creationTimestamp,
        revision: revisionOf(run),
        status: run.status?.phase ?? '',
        successful: sum('successful'),
        failed: sum('failed'),
        inconclusive: sum('inconclusive'),
        error: sum('error'),
        jobs: results.flatMap((m) =>
          (m.measurements ?? []).flatMap((x) =>
            x.metadata?.['job-name'] === undefined
              ? []
              : [{ name: x.metadata['job-name'], status: x.phase ?? '', startedAt: x.startedAt }],
          ),
        ),
      };
    })
    .sort((a, b) => b.revision - a.revision || created(a) - created(b) || byName(b, a));
}

/** Experiments owned by the Rollout, each with its own ReplicaSets and AnalysisRuns. */
export function experimentInfos(rollout: Rollout & KubeObject, world: NamespaceObjects): ExperimentInfo[] {
  return (world.experiments ?? [])
    .filter((e) => ownedBy(e, rollout.metadata.uid))
    .map((e) => ({
      name: e.metadata.name ?? '',
      creationTimestamp: e.metadata.creationTimestamp,
      revision: revisionOf(e),
      status: e.status?.phase ?? '',
      replicaSets: replicaSetInfos(e.metadata.uid, undefined, world),
      analysisRuns: analysisRunInfos(e.metadata.uid, world),
    }))
    .sort((a, b) => b.revision - a.revision || created(a) - created(b));
}
