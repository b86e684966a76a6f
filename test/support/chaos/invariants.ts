// The end state a chaos run must reach: every Rollout Healthy on its last revision with exactly one
// ReplicaSet per pod-template hash, none orphaned and none wrongly scaled; every Application Synced at
// the last commit, Healthy, its drift healed and its `status.resources` well formed.
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../../src/rollouts/index.js';
import type { Application } from '../../../src/sync/index.js';
import {
  APPLICATION,
  type AppDesired,
  CANARY_STEPS,
  CONFIG_MAP,
  DEPLOYMENT,
  REPLICA_SET,
  ROLLOUT,
} from './manifests.js';

interface ReplicaSetView extends KubeObject {
  spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
  status?: { replicas?: number; availableReplicas?: number; readyReplicas?: number };
}

interface RolloutView extends KubeObject {
  spec?: {
    replicas?: number;
    revisionHistoryLimit?: number;
    template?: { spec?: { containers?: { image?: string }[] } };
  };
  status?: {
    phase?: string;
    message?: string;
    observedGeneration?: string | number;
    currentPodHash?: string;
    stableRS?: string;
    currentStepIndex?: number;
  };
}

export interface ReplicaSetAnomalies {
  /** Two ReplicaSets of one Rollout with the same pod-template hash. */
  readonly duplicate: string[];
  /** ReplicaSets with no controller owner. */
  readonly orphan: string[];
  /** The stable ReplicaSet not at spec.replicas (or not available), or an old one not scaled to 0. */
  readonly wronglyScaled: string[];
  /** More old ReplicaSets than revisionHistoryLimit keeps. */
  readonly overHistoryLimit: string[];
}

export interface EndState {
  /** Rollouts not Healthy on their last revision, with why. */
  readonly rollouts: string[];
  readonly replicaSets: ReplicaSetAnomalies;
  /** Applications not Synced at the last commit, not Healthy, drifted or with malformed resources. */
  readonly applications: string[];
}

export const isClean = (s: EndState): boolean =>
  s.rollouts.length === 0 &&
  s.applications.length === 0 &&
  Object.values(s.replicaSets).every((list) => list.length === 0);

const imageOf = (o: { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }) =>
  o.spec?.template?.spec?.containers?.[0]?.image;

export async function checkRollouts(
  client: KubeClient,
  namespace: string,
  lastImages: ReadonlyMap<string, string>,
): Promise<Pick<EndState, 'rollouts' | 'replicaSets'>> {
  const rollouts = (await client.listAll<RolloutView>(ROLLOUT, { namespace })).items;
  const sets = (await client.listAll<ReplicaSetView>(REPLICA_SET, { namespace })).items;
  const problems: string[] = [];
  const rs: ReplicaSetAnomalies = { duplicate: [], orphan: [], wronglyScaled: [], overHistoryLimit: [] };
  for (const set of sets)
    if (!set.metadata.ownerReferences?.some((o) => o.controller === true))
      rs.orphan.push(`${set.metadata.name} has no controller owner`);
  for (const [name, image] of lastImages) {
    const r = rollouts.find((x) => x.metadata.name === name);
    if (r === undefined) {
      problems.push(`${name}: missing`);
      continue;
    }
    const s = r.status ?? {};
    const why: string[] = [];
    if (s.phase !== 'Healthy') why.push(`phase ${s.phase ?? '-'} (${s.message ?? ''})`);
    if (imageOf(r) !== image) why.push(`spec image ${imageOf(r)} is not the last update ${image}`);
    if (String(s.observedGeneration) !== String(r.metadata.generation))
      why.push(`observedGeneration ${s.observedGeneration} ≠ generation ${r.metadata.generation}`);
    if (!s.currentPodHash || s.stableRS !== s.currentPodHash)
      why.push(`stableRS ${s.stableRS ?? '-'} ≠ currentPodHash ${s.currentPodHash ?? '-'}`);
    if (s.currentStepIndex !== CANARY_STEPS.length)
      why.push(`currentStepIndex ${s.currentStepIndex ?? '-'} ≠ ${CANARY_STEPS.length}`);
    const mine = sets.filter((x) => x.metadata.ownerReferences?.some((o) => o.uid === r.metadata.uid));
    const byHash = new Map<string, string[]>();
    for (const x of mine) {
      const hash = x.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
      byHash.set(hash, [...(byHash.get(hash) ?? []), x.metadata.name ?? '']);
    }
    for (const [hash, names] of byHash)
      if (names.length > 1) rs.duplicate.push(`${name}: hash ${hash} has ${names.join(', ')}`);
    const stable = mine.find((x) => x.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === s.stableRS);
    const want = r.spec?.replicas ?? 1;
    if (stable === undefined) why.push(`no ReplicaSet for the stable hash ${s.stableRS ?? '-'}`);
    else {
      if (imageOf(stable) !== image) why.push(`stable ReplicaSet runs ${imageOf(stable)}, not ${image}`);
      if (stable.spec?.replicas !== want || (stable.status?.availableReplicas ?? 0) !== want)
        rs.wronglyScaled.push(
          `${name}: stable ${stable.metadata.name} spec ${stable.spec?.replicas}, available ${stable.status?.availableReplicas ?? 0}, want ${want}`,
        );
    }
    const old = mine.filter((x) => x !== stable);
    for (const x of old)
      if ((x.spec?.replicas ?? 0) !== 0)
        rs.wronglyScaled.push(`${name}: old ${x.metadata.name} still at ${x.spec?.replicas} replicas`);
    const limit = r.spec?.revisionHistoryLimit ?? 10;
    if (old.length > limit) rs.overHistoryLimit.push(`${name}: ${old.length} old ReplicaSets > ${limit}`);
    if (why.length > 0) problems.push(`${name}: ${why.join('; ')}`);
  }
  return { rollouts: problems, replicaSets: rs };
}

export async function checkApplications(
  client: KubeClient,
  namespace: string,
  desired: ReadonlyMap<string, AppDesired>,
  everExtras: ReadonlyMap<string, ReadonlySet<string>>,
  head: string,
): Promise<string[]> {
  const apps = (await client.listAll<Application>(APPLICATION, { namespace })).items;
  const deployments = (await client.listAll(DEPLOYMENT, { namespace })).items;
  const configMaps = (await client.listAll(CONFIG_MAP, { namespace })).items;
  const problems: string[] = [];
  for (const [name, d] of desired) {
    const app = apps.find((a) => a.metadata.name === name);
    if (app === undefined) {
      problems.push(`${name}: missing`);
      continue;
    }
    const s = app.status;
    const why: string[] = [];
    if (s?.sync?.status !== 'Synced') why.push(`sync ${s?.sync?.status ?? '-'}`);
    if (s?.sync?.revision !== head)
      why.push(`at ${s?.sync?.revision?.slice(0, 8) ?? '-'}, last commit ${head.slice(0, 8)}`);
    if (s?.health?.status !== 'Healthy') why.push(`health ${s?.health?.status ?? '-'}`);
    const malformed = (s?.resources ?? []).filter((r) => !r.kind || !r.name);
    if (malformed.length > 0)
      why.push(`${malformed.length} status.resources entries with an empty kind/name`);
    const deployment = deployments.find((x) => x.metadata.name === `${name}-web`) as
      | (KubeObject & {
          spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
        })
      | undefined;
    if (deployment === undefined) why.push('Deployment missing');
    else {
      if (deployment.spec?.replicas !== d.replicas)
        why.push(`Deployment at ${deployment.spec?.replicas} replicas, Git says ${d.replicas}`);
      if (imageOf(deployment) !== d.image)
        why.push(`Deployment runs ${imageOf(deployment)}, Git says ${d.image}`);
    }
    const cm = configMaps.find((x) => x.metadata.name === `${name}-config`);
    const config = (cm as { data?: Record<string, string> } | undefined)?.data?.config;
    if (config !== d.config) why.push(`ConfigMap config=${config ?? '-'}, Git says ${d.config}`);
    for (const extra of everExtras.get(name) ?? []) {
      const live = configMaps.some(
        (x) => x.metadata.name === `${name}-${extra}` && !x.metadata.deletionTimestamp,
      );
      if (d.extras.has(extra) && !live) why.push(`${name}-${extra} missing`);
      if (!d.extras.has(extra) && live) why.push(`${name}-${extra} not pruned`);
    }
    if (why.length > 0) {
      const op = s?.operationState;
      const tail = op ? ` [operation ${op.phase}: ${op.message ?? ''}]` : '';
      problems.push(`${name}: ${why.join('; ')}${tail}`);
    }
  }
  return problems;
}
