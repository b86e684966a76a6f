/**
 * The referenced-resources part of InvalidSpec for analysis (Argo's ValidateRolloutReferencedResources):
 * an AnalysisTemplate or ClusterAnalysisTemplate referenced by an analysis step or the background
 * analysis whose metric condition does not compile makes the Rollout invalid at once, instead of the
 * canary reaching that step and failing there. A template that does not exist is left to the step
 * (it gets an AnalysisRunError event when the run cannot be built). Pure: templates come through `lookup`.
 */
import {
  type Argument,
  formatConditionError,
  resolveTemplateRefs,
  type TemplateLookup,
  templateConditionError,
} from '../../analysis/index.js';
import type { Rollout, RolloutAnalysis } from '../types.js';

/** Every analysis of the Rollout with the field path Argo reports for its templates. */
export function referencedAnalyses(
  rollout: Rollout,
): { readonly path: string; readonly analysis: RolloutAnalysis }[] {
  const canary = rollout.spec?.strategy?.canary;
  const out: { path: string; analysis: RolloutAnalysis }[] = [];
  for (const [i, step] of (canary?.steps ?? []).entries()) {
    if (step.analysis !== undefined && step.analysis !== null)
      out.push({ path: `spec.strategy.canary.steps[${i}].analysis.templates`, analysis: step.analysis });
  }
  if (canary?.analysis !== undefined && canary.analysis !== null)
    out.push({ path: 'spec.strategy.canary.analysis.templates', analysis: canary.analysis });
  return out;
}

/** The first referenced template with a condition that does not compile, as an InvalidSpec error text. */
export function analysisTemplateError(rollout: Rollout, lookup: TemplateLookup): string | undefined {
  for (const { path, analysis } of referencedAnalyses(rollout)) {
    const resolved = resolveTemplateRefs(analysis.templates ?? [], lookup);
    if (!resolved.ok) continue;
    for (const template of resolved.templates) {
      const error = templateConditionError(template, literalArgs(analysis), analysis.dryRun);
      if (error === undefined) continue;
      const kind =
        template.kind === 'ClusterAnalysisTemplate' ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      const name = template.metadata?.name ?? '';
      return `${path}: Invalid value: ${JSON.stringify(name)}: ${kind} ${name}: metric "${error.metric}": ${formatConditionError(error)}`;
    }
  }
  return undefined;
}

/** The args the Rollout passes as literal values (others are resolved when the run is created). */
function literalArgs(analysis: RolloutAnalysis): Argument[] {
  return (analysis.args ?? []).map((a) =>
    a.value !== undefined ? { name: a.name, value: a.value } : { name: a.name, valueFrom: {} },
  );
}

/** Whether the Rollout references any analysis template (to map template changes to Rollouts). */
export function referencesAnalysisTemplates(rollout: Rollout): boolean {
  return referencedAnalyses(rollout).some(({ analysis }) => (analysis.templates ?? []).length > 0);
}
