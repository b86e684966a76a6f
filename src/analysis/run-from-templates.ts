import type {
  AnalysisRunSpec,
  AnalysisTemplateLike,
  AnalysisTemplateRef,
  Argument,
  DryRun,
  MeasurementRetention,
  Metric,
} from './types.js';

/** Rollout-level additions merged in front of the templates' own rules (Argo `RolloutAnalysis.dryRun`). */
export interface BuildAnalysisRunSpecOptions {
  readonly dryRun?: readonly DryRun[];
  readonly measurementRetention?: readonly MeasurementRetention[];
}

export type BuildAnalysisRunSpecResult =
  | { readonly ok: true; readonly spec: AnalysisRunSpec }
  | { readonly ok: false; readonly message: string };

/**
 * Merges AnalysisTemplates and ClusterAnalysisTemplates into one AnalysisRun spec, the way Argo Rollouts'
 * `NewAnalysisRunFromTemplates` does: namespaced templates first, then cluster templates (each in the given
 * order); metric names must be unique; template args with the same name must agree on their value; the
 * provided `args` override template defaults (a value wins over a valueFrom); an arg left with neither a
 * value nor a valueFrom fails with `args.<name> was not resolved`. `valueFrom.secretKeyRef` stays in the
 * spec and is resolved when measuring. Nested `templates` references must already be expanded (see
 * `resolveTemplateRefs`).
 */
export function buildAnalysisRunSpec(
  templates: readonly AnalysisTemplateLike[],
  args: readonly Argument[],
  options: BuildAnalysisRunSpecOptions = {},
): BuildAnalysisRunSpecResult {
  const ordered = [
    ...templates.filter((t) => !isClusterTemplate(t)),
    ...templates.filter((t) => isClusterTemplate(t)),
  ];
  const metrics: Metric[] = [];
  const metricNames = new Set<string>();
  for (const template of ordered) {
    for (const metric of template.spec.metrics ?? []) {
      if (metricNames.has(metric.name))
        return { ok: false, message: `two metrics have the same name '${metric.name}'` };
      metricNames.add(metric.name);
      metrics.push(metric);
    }
  }
  const templateArgs = flattenArgs(ordered);
  if (!templateArgs.ok) return templateArgs;
  const merged = mergeArgs(args, templateArgs.args);
  if (!merged.ok) return merged;

  const templateDryRun = ordered.flatMap((t) => t.spec.dryRun ?? []);
  const templateRetention = ordered.flatMap((t) => t.spec.measurementRetention ?? []);
  const dryRunError =
    duplicateRule(templateDryRun, 'Dry-Run') ?? duplicateRule(templateRetention, 'Measurement Retention');
  if (dryRunError !== undefined) return { ok: false, message: dryRunError };
  const dryRun = [...(options.dryRun ?? []), ...templateDryRun];
  const measurementRetention = [...(options.measurementRetention ?? []), ...templateRetention];
  const mergedError =
    duplicateRule(dryRun, 'Dry-Run') ?? duplicateRule(measurementRetention, 'Measurement Retention');
  if (mergedError !== undefined) return { ok: false, message: mergedError };

  return {
    ok: true,
    spec: {
      metrics,
      ...(dryRun.length > 0 && { dryRun }),
      ...(measurementRetention.length > 0 && { measurementRetention }),
      ...(merged.args.length > 0 && { args: merged.args }),
    },
  };
}

/**
 * Merges provided args into template args like Argo's `MergeArgs`: only args the templates declare are
 * taken; a provided value replaces the default, otherwise a provided valueFrom is set. Then every arg must
 * have a value or a valueFrom.
 */
export function mergeArgs(
  incoming: readonly Argument[],
  templateArgs: readonly Argument[],
): { readonly ok: true; readonly args: Argument[] } | { readonly ok: false; readonly message: string } {
  const merged: Argument[] = templateArgs.map((a) => ({ ...a }));
  for (const arg of incoming) {
    const i = merged.findIndex((a) => a.name === arg.name);
    const current = merged[i];
    if (current === undefined) continue;
    if (arg.value !== undefined) merged[i] = { ...current, value: arg.value };
    else if (arg.valueFrom !== undefined) merged[i] = { ...current, valueFrom: arg.valueFrom };
  }
  for (const arg of merged) {
    if (arg.value === undefined && arg.valueFrom === undefined)
      return { ok: false, message: `args.${arg.name} was not resolved` };
  }
  return { ok: true, args: merged };
}

/** Looks a template reference up (from an informer cache); undefined when it does not exist. */
export type TemplateLookup = (ref: AnalysisTemplateRef) => AnalysisTemplateLike | undefined;

export type ResolveTemplateRefsResult =
  | { readonly ok: true; readonly templates: readonly AnalysisTemplateLike[] }
  | { readonly ok: false; readonly message: string };

/**
 * Expands template references, following nested `spec.templates` depth first like Argo's
 * `getAnalysisTemplatesFromRefs`, and keeps one copy of each template (by scope and name). A missing
 * template or a reference cycle is an error.
 */
export function resolveTemplateRefs(
  refs: readonly AnalysisTemplateRef[],
  lookup: TemplateLookup,
): ResolveTemplateRefsResult {
  const seen = new Set<string>();
  const out: AnalysisTemplateLike[] = [];
  const visit = (list: readonly AnalysisTemplateRef[], path: readonly string[]): string | undefined => {
    for (const ref of list) {
      const key = `${ref.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'}/${ref.templateName}`;
      if (path.includes(key)) return `analysis template reference cycle: ${[...path, key].join(' -> ')}`;
      const template = lookup(ref);
      if (template === undefined) {
        const kind = ref.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
        return `${kind} '${ref.templateName}' not found`;
      }
      if (!seen.has(key)) {
        seen.add(key);
        out.push(
          isClusterTemplate(template) || ref.clusterScope !== true
            ? template
            : { ...template, kind: 'ClusterAnalysisTemplate' },
        );
      }
      const nested = template.spec.templates ?? [];
      if (nested.length > 0) {
        const err = visit(nested, [...path, key]);
        if (err !== undefined) return err;
      }
    }
    return undefined;
  };
  const err = visit(refs, []);
  return err === undefined ? { ok: true, templates: out } : { ok: false, message: err };
}

function isClusterTemplate(template: AnalysisTemplateLike): boolean {
  return template.kind === 'ClusterAnalysisTemplate';
}

function flattenArgs(
  templates: readonly AnalysisTemplateLike[],
): { readonly ok: true; readonly args: Argument[] } | { readonly ok: false; readonly message: string } {
  const combined: Argument[] = [];
  for (const template of templates) {
    for (const arg of template.spec.args ?? []) {
      const i = combined.findIndex((a) => a.name === arg.name);
      const prev = combined[i];
      if (prev === undefined) {
        combined.push(arg);
        continue;
      }
      if (prev.value !== undefined && arg.value !== undefined && prev.value !== arg.value) {
        return {
          ok: false,
          message: `Argument \`${arg.name}\` specified multiple times with different values: '${prev.value}', '${arg.value}'`,
        };
      }
      if (prev.value === undefined) combined[i] = arg;
    }
  }
  return { ok: true, args: combined };
}

function duplicateRule(rules: readonly { readonly metricName: string }[], label: string): string | undefined {
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.metricName))
      return `two ${label} metric rules have the same name '${rule.metricName}'`;
    names.add(rule.metricName);
  }
  return undefined;
}
