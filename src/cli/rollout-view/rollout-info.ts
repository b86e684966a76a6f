/**
 * What the upstream plugin's `get rollout` computes from a Rollout and its children
 * (pkg/kubectl-argo-rollouts/info in Argo Rollouts v1.10), as plain data; `tree.ts` prints it.
 */
import type { KubeObject } from '../../kube/index.js';
import {
  computeRolloutPhase,
  isGenerationObserved,
  isUnpausing,
  type Rollout,
} from '../../rollouts/index.js';
import {
  type AnalysisRunInfo,
  analysisRunInfos,
  type ExperimentInfo,
  experimentInfos,
  type NamespaceObjects,
  type ReplicaSetInfo,
  replicaSetInfos,
} from './children-info.js';

export type RolloutObject = Rollout & KubeObject;

/** Everything the rollout view shows, read by the caller; rendering is pure. */
export interface RolloutSnapshot extends NamespaceObjects {
  readonly rollout: RolloutObject;
  /** Milliseconds since the epoch, for ages. */
  readonly now: number;
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
  readonly experiments: readonly ExperimentInfo[];
  readonly analysisRuns: readonly AnalysisRunInfo[];
}

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

/** The plugin's `NewRolloutInfo`: summary fields, ReplicaSets with pods, AnalysisRuns. */
export function rolloutInfo(snap: RolloutSnapshot): RolloutInfo {
  const r = snap.rollout;
  const s = r.status ?? {};
  const canary = r.spec?.strategy?.canary;
  const replicaSets = replicaSetInfos(r.metadata.uid, r, snap);
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
    experiments: experimentInfos(r, snap),
    analysisRuns: analysisRunInfos(r.metadata.uid, snap),
  };
}

/**
 * Images of ReplicaSets that have pods, sorted by image, with their tags: an image's first ReplicaSet
 * gives its tags in the plugin's order (stable/canary, active/preview); a later one merges them, sorted.
 * Experiments' ReplicaSets add `Σ:<template>`.
 */
export function imagesOf(info: RolloutInfo): { image: string; tags: string[] }[] {
  const tags = new Map<string, string[]>();
  const add = (image: string, more: readonly string[]) => {
    const seen = tags.get(image);
    tags.set(image, seen === undefined ? [...more] : [...new Set([...seen, ...more])].sort());
  };
  for (const rs of info.replicaSets) if (rs.replicas > 0) for (const image of rs.images) add(image, rs.tags);
  for (const e of info.experiments)
    for (const rs of e.replicaSets)
      if (rs.replicas > 0) for (const image of rs.images) add(image, rs.template ? [`Σ:${rs.template}`] : []);
  return [...tags]
    .map(([image, t]) => ({ image, tags: t }))
    .sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
}
