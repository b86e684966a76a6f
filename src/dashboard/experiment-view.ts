/**
 * The Rollout page's experiments: each Experiment the Rollout owns (an `experiment` step) with its
 * phase, each template's ReplicaSet and replicas as its status records them, and its analyses with
 * their runs' metrics (charted like the Rollout's own). Pure.
 */
import type { Experiment } from '../experiments/index.js';
import type { KubeObject } from '../kube/index.js';
import { type AnalysisRunLike, type AnalysisRunView, analysisRunView } from './rollout-detail.js';

export interface ExperimentTemplateView {
  readonly name: string;
  readonly status: string;
  readonly message: string;
  readonly replicas: number;
  readonly available: number;
  /** The template's ReplicaSet, when it exists. */
  readonly replicaSet: string;
}

export interface ExperimentView {
  readonly name: string;
  readonly phase: string;
  readonly message: string;
  readonly revision: number;
  readonly templates: readonly ExperimentTemplateView[];
  readonly analyses: readonly {
    readonly name: string;
    readonly phase: string;
    readonly message: string;
    readonly run?: AnalysisRunView;
  }[];
}

/** Experiments kept on the page (newest revision first). */
export const EXPERIMENTS_SHOWN = 5;

const ownedBy = (o: KubeObject, uid: string | undefined) =>
  uid !== undefined && (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid);

const TEMPLATE_NAME = 'experiment.argoproj.io/template-name';
const revisionOf = (o: KubeObject) =>
  Number.parseInt(o.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '', 10) || 0;

export function experimentViews(
  rollout: KubeObject,
  experiments: readonly Experiment[],
  replicaSets: readonly (KubeObject & { status?: { availableReplicas?: number } })[],
  analysisRuns: readonly AnalysisRunLike[],
): ExperimentView[] {
  return experiments
    .filter((e) => ownedBy(e, rollout.metadata.uid))
    .sort(
      (a, b) => revisionOf(b) - revisionOf(a) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    )
    .slice(0, EXPERIMENTS_SHOWN)
    .map((e) => {
      const statuses = new Map((e.status?.templateStatuses ?? []).map((t) => [t.name, t]));
      const ownReplicaSets = replicaSets.filter((rs) => ownedBy(rs, e.metadata.uid));
      const runs = analysisRuns.filter((r) => ownedBy(r, e.metadata.uid));
      return {
        name: e.metadata.name ?? '',
        phase: e.status?.phase ?? 'Pending',
        message: e.status?.message ?? '',
        revision: revisionOf(e),
        templates: (e.spec?.templates ?? []).map((t) => {
          const st = statuses.get(t.name);
          const rs = ownReplicaSets.find((r) => r.metadata.annotations?.[TEMPLATE_NAME] === t.name);
          return {
            name: t.name,
            status: st?.status ?? 'Progressing',
            message: st?.message ?? '',
            replicas: st?.replicas ?? 0,
            available: st?.availableReplicas ?? 0,
            replicaSet: rs?.metadata.name ?? '',
          };
        }),
        analyses: (e.status?.analysisRuns ?? []).map((a) => {
          const run = runs.find((r) => r.metadata.name === a.analysisRun);
          return {
            name: a.name,
            phase: a.phase,
            message: a.message ?? '',
            ...(run !== undefined && { run: analysisRunView(run) }),
          };
        }),
      };
    });
}
