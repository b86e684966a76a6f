/**
 * What the upstream plugin's `get rollout` computes from a Rollout and its children
 * (pkg/kubectl-argo-rollouts/info in Argo Rollouts v1.10), as plain data; `tree.ts` prints it.
 */
import type { KubeObject } from '../../kube/index.js';
import {
  computeRolloutPhase,
  isGenerationObserved,
  isUnpausing,
  type ReplicaSet,
  type Rollout,
} from '../../rollouts/index.js';
import { type PodInfo, type PodObject, podInfo } from './pod-info.js';

export type RolloutObject = Rollout & KubeObject;

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

/** Everything the rollout view shows, read by the caller; rendering is pure. */
export interface RolloutSnapshot {
  readonly rollout: RolloutObject;
  /** ReplicaSets of the namespace (those the Rollout controls are shown). */
  readonly replicaSets: readonly ReplicaSet[];
  readonly pods: readonly PodObject[];
  readonly analysisRuns: readonly AnalysisRunObject[];
  /** Milliseconds since the epoch, for ages. */
  readonly now: number;
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

export interface RolloutInfo {
  readonly name: string;
  readonly namespace: string;
  readonly creationTimestamp: string | undefined;
  readonly status: string;
  readonly message: string;
  /** 'Canary', 'BlueGreen' or '' (neither). */
  readonly strategy: string;
  /** `index/steps`, '' without steps or an index. */
  readonly step: string;
  readonly setWeight: number;
  readonly actualWeight: number;
  readonly desired: number;
  readonly current: number;
  readonly updated: number;
  readonly ready: number;
  readonly available: number;
  readonly replicaSets: readonly ReplicaSetInfo[];
  readonly analysisRuns: readonly AnalysisRunInfo[];
}

const HASH_LABEL = 'rollouts-pod-template-hash';
const REVISION = 'rollout.argoproj.io/revision';
const SCALE_DOWN_DEADLINE = 'scale-down-deadline';

const revisionOf = (o: KubeObject): number => {
  const n = Number.parseInt(o.metadata.annotations?.[REVISION] ?? '', 10);
  return Number.isNaN(n) ? 0 : n;
};
const ownedBy = (o: KubeObject, uid: string | undefined): boolean =>
  uid !== undefined && (o.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);

/** The phase and message a client shows (Argo's GetRolloutPhase): the controller's, once it caught up. */
export function clientRolloutPhase(rollout: Rollout): { phase: string; message: string } {
  if (!isGenerationObserved(rollout))
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  if (isUnpausing(rollout)) return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  const status = rollout.status ?? {};
  if (status.phase) return { phase: status.phase, message: status.message ?? '' };
  return computeRolloutPhase(rollout.spec ?? {}, status);
}

const maxTrafficWeight = (r: Rollout): number =>
  r.spec?.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? 100;

/** The step index and step, undefined past the last step or without steps (GetCurrentCanaryStep). */
function currentStep(r: Rollout): { index: number; step: Record<string, unknown> } | undefined {
  const steps = r.spec?.strategy?.canary?.steps ?? [];
  const index = r.status?.currentStepIndex ?? 0;
  const step = steps[index];
  return steps.length === 0 || step === undefined
    ? undefined
    : { index, step: step as Record<string, unknown> };
}

/** The desired canary weight (GetCurrentSetWeight): 0 when aborted, the last setWeight up to the current step. */
export function currentSetWeight(r: Rollout): number {
  if (r.status?.abort === true) return 0;
  const current = currentStep(r);
  if (current === undefined) return maxTrafficWeight(r);
  const steps = r.spec?.strategy?.canary?.steps ?? [];
  for (let i = current.index; i >= 0; i--) {
    const weight = (steps[i] as { setWeight?: number } | undefined)?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

function replicaSetHealth(rs: ReplicaSet): string {
  const desired = rs.spec?.replicas;
  const observed = rs.status?.observedGeneration ?? 0;
  if ((rs.metadata.generation ?? 0) > observed) return 'Progressing';
  if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True'))
    return 'ReplicaFailure';
  if (desired !== undefined && (rs.status?.availableReplicas ?? 0) < desired) return 'Progressing';
  return desired === 0 ? 'ScaledDown' : 'Healthy';
}

function tagsOf(r: Rollout, hash: string): RolloutTag[] {
  const s = r.status ?? {};
  const tags: RolloutTag[] = [];
  if (r.spec?.strategy?.canary !== undefined) {
    if (s.stableRS === hash) tags.push('stable');
    else if (s.currentPodHash === hash) tags.push('canary');
  }
  if (r.spec?.strategy?.blueGreen !== undefined) {
    if (s.stableRS === hash) tags.push('stable');
    if (s.blueGreen?.activeSelector === hash) tags.push('active');
    else if (s.blueGreen?.previewSelector === hash) tags.push('preview');
  }
  return tags;
}

function replicaSetInfos(snap: RolloutSnapshot): ReplicaSetInfo[] {
  const r = snap.rollout;
  const owned = snap.replicaSets.filter((rs) => ownedBy(rs, r.metadata.uid));
  return owned
    .map((rs) => ({
      name: rs.metadata.name ?? '',
      creationTimestamp: rs.metadata.creationTimestamp,
      revision: revisionOf(rs),
      status: replicaSetHealth(rs),
      replicas: rs.status?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
      tags: tagsOf(r, rs.metadata.labels?.[HASH_LABEL] ?? ''),
      images: (
        (rs.spec?.template?.spec as { containers?: { image?: string }[] } | undefined)?.containers ?? []
      ).map((c) => c.image ?? ''),
      scaleDownDeadline: rs.metadata.annotations?.[SCALE_DOWN_DEADLINE],
      pods: snap.pods
        .filter((p) => ownedBy(p, rs.metadata.uid))
        .map(podInfo)
        .sort(
          (a, b) =>
            Date.parse(a.creationTimestamp ?? '') - Date.parse(b.creationTimestamp ?? '') ||
            (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
        ),
    }))
    .sort((a, b) => b.revision - a.revision || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function analysisRunInfos(snap: RolloutSnapshot): AnalysisRunInfo[] {
  return snap.analysisRuns
    .filter((run) => ownedBy(run, snap.rollout.metadata.uid))
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
    .sort(
      (a, b) =>
        b.revision - a.revision ||
        Date.parse(a.creationTimestamp ?? '') - Date.parse(b.creationTimestamp ?? '') ||
        (a.name > b.name ? -1 : a.name < b.name ? 1 : 0),
    );
}

/** The plugin's `NewRolloutInfo`: summary fields, ReplicaSets with pods, AnalysisRuns. */
export function rolloutInfo(snap: RolloutSnapshot): RolloutInfo {
  const r = snap.rollout;
  const s = r.status ?? {};
  const canary = r.spec?.strategy?.canary;
  const replicaSets = replicaSetInfos(snap);
  const { phase, message } = clientRolloutPhase(r);
  let step = '';
  let setWeight = 0;
  let actualWeight = 0;
  if (canary !== undefined) {
    const steps = canary.steps ?? [];
    if (s.currentStepIndex !== undefined && steps.length > 0) step = `${s.currentStepIndex}/${steps.length}`;
    setWeight = currentSetWeight(r);
    const available = s.availableReplicas ?? 0;
    if (currentStep(r) === undefined) actualWeight = maxTrafficWeight(r);
    else if (available > 0) {
      if (canary.trafficRouting === undefined) {
        for (const rs of replicaSets)
          if (rs.tags.includes('canary'))
            actualWeight = Math.trunc((rs.available * maxTrafficWeight(r)) / available);
      } else actualWeight = s.canary?.weights?.canary.weight ?? setWeight;
    }
  }
  return {
    name: r.metadata.name ?? '',
    namespace: r.metadata.namespace ?? '',
    creationTimestamp: r.metadata.creationTimestamp,
    status: phase,
    message,
    strategy: canary !== undefined ? 'Canary' : r.spec?.strategy?.blueGreen !== undefined ? 'BlueGreen' : '',
    step,
    setWeight,
    actualWeight,
    desired: r.spec?.replicas ?? 1,
    current: s.replicas ?? 0,
    updated: s.updatedReplicas ?? 0,
    ready: s.readyReplicas ?? 0,
    available: s.availableReplicas ?? 0,
    replicaSets,
    analysisRuns: analysisRunInfos(snap),
  };
}

/**
 * Images of ReplicaSets that have pods, sorted by image, with their tags: an image's first ReplicaSet
 * gives its tags in the plugin's order (stable/canary, active/preview); a later one merges them, sorted.
 */
export function imagesOf(info: RolloutInfo): { image: string; tags: string[] }[] {
  const tags = new Map<string, string[]>();
  for (const rs of info.replicaSets) {
    if (rs.replicas <= 0) continue;
    for (const image of rs.images) {
      const seen = tags.get(image);
      tags.set(image, seen === undefined ? [...rs.tags] : [...new Set([...seen, ...rs.tags])].sort());
    }
  }
  return [...tags]
    .map(([image, t]) => ({ image, tags: t }))
    .sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
}
