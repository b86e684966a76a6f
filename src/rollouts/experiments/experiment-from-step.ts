/**
 * The Experiment a canary `experiment` step creates, named and shaped as Argo Rollouts'
 * GetExperimentFromTemplate (rollout/experiment.go): `<rollout>-<podHash>-<revision>-<stepIndex>`, the
 * Rollout's labels plus the pod-template hash, the revision annotation, a controller reference to the
 * Rollout, and one template per step template copying the stable or canary ReplicaSet's pod template.
 * Pure.
 */
import type {
  Experiment,
  ExperimentAnalysisTemplateRef,
  ExperimentTemplate,
} from '../../experiments/index.js';
import { resolveRolloutArgs } from '../analysis/analysis-runs.js';
import { controllerRef, podHashOf, type ReplicaSet } from '../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../spec/pod-template-hash.js';
import type {
  LabelSelector,
  PodTemplateSpec,
  Rollout,
  RolloutExperimentStep,
  RolloutExperimentTemplate,
} from '../types.js';

export interface ExperimentRequest {
  readonly rollout: Rollout;
  readonly step: RolloutExperimentStep;
  readonly stepIndex: number;
  readonly podHash: string;
  readonly revision: number;
  readonly stableRS: ReplicaSet;
  readonly newRS: ReplicaSet;
  /** The name planned in status (the base name, or the base name with a collision suffix). */
  readonly name: string;
}

/** Argo's experiment name before collision handling. */
export const experimentBaseName = (
  rolloutName: string,
  podHash: string,
  revision: number,
  stepIndex: number,
): string => `${rolloutName}-${podHash}-${revision}-${stepIndex}`;

/** Argo's createExperimentWithCollisionHandling: the base name, else `<base>-1`, `<base>-2`, … not in use. */
export function freeExperimentName(base: string, inUse: ReadonlySet<string>): string {
  if (!inUse.has(base)) return base;
  for (let n = 1; ; n++) if (!inUse.has(`${base}-${n}`)) return `${base}-${n}`;
}

function experimentTemplate(t: RolloutExperimentTemplate, source: ReplicaSet): ExperimentTemplate {
  const template = structuredClone((source.spec?.template ?? {}) as PodTemplateSpec);
  const selector = structuredClone((t.selector ?? source.spec?.selector ?? {}) as LabelSelector);
  const extraLabels = t.metadata?.labels;
  const extraAnnotations = t.metadata?.annotations;
  const metadata = {
    ...(template.metadata ?? {}),
    ...(extraLabels !== undefined && { labels: { ...(template.metadata?.labels ?? {}), ...extraLabels } }),
    ...(extraAnnotations !== undefined && {
      annotations: { ...(template.metadata?.annotations ?? {}), ...extraAnnotations },
    }),
  };
  const minReadySeconds = (source.spec as { minReadySeconds?: number } | undefined)?.minReadySeconds;
  return {
    name: t.name,
    ...(t.replicas !== undefined && { replicas: t.replicas }),
    // a weight needs a Service to send traffic to
    ...((t.weight !== undefined || t.service !== undefined) && {
      service: t.service?.name ? { name: t.service.name } : {},
    }),
    template: { ...template, metadata },
    ...(minReadySeconds !== undefined && minReadySeconds !== 0 && { minReadySeconds }),
    selector:
      extraLabels === undefined
        ? selector
        : { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), ...extraLabels } },
  };
}

/** The Experiment to create, or why it cannot be built (an argument that does not resolve). */
export function buildExperiment(
  r: ExperimentRequest,
): { readonly ok: true; readonly experiment: Experiment } | { readonly ok: false; readonly message: string } {
  const { rollout, step } = r;
  const analyses: ExperimentAnalysisTemplateRef[] = [];
  for (const analysis of step.analyses ?? []) {
    const args = resolveRolloutArgs(rollout, analysis.args, {
      latest: podHashOf(r.newRS),
      stable: podHashOf(r.stableRS),
    });
    if (!args.ok) return { ok: false, message: `analysis ${analysis.name}: ${args.message}` };
    analyses.push({
      name: analysis.name,
      templateName: analysis.templateName,
      ...(analysis.clusterScope && { clusterScope: true }),
      ...(args.args.length > 0 && { args: args.args.map((a) => ({ name: a.name, value: a.value ?? '' })) }),
      ...(analysis.requiredForCompletion && { requiredForCompletion: true }),
    });
  }
  const spec = rollout.spec ?? {};
  return {
    ok: true,
    experiment: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: {
        name: r.name,
        namespace: rollout.metadata?.namespace ?? '',
        labels: { ...(rollout.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: r.podHash },
        annotations: { [REVISION_ANNOTATION]: String(r.revision) },
        ownerReferences: [controllerRef(rollout)],
      },
      spec: {
        templates: step.templates.map((t) =>
          experimentTemplate(t, t.specRef === 'stable' ? r.stableRS : r.newRS),
        ),
        ...(step.duration !== undefined && { duration: step.duration }),
        ...(spec.progressDeadlineSeconds !== undefined && {
          progressDeadlineSeconds: spec.progressDeadlineSeconds,
        }),
        ...(analyses.length > 0 && { analyses }),
        ...(step.dryRun !== undefined && { dryRun: step.dryRun }),
        ...(step.analysisRunMetadata !== undefined && { analysisRunMetadata: step.analysisRunMetadata }),
        ...(step.scaleDownDelaySeconds !== undefined && {
          scaleDownDelaySeconds: step.scaleDownDelaySeconds,
        }),
      },
    },
  };
}
