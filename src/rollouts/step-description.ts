/** Human-readable forms Argo prints: a canary step in events, a label selector in status. Pure. */
import type { CanaryStep, LabelSelector } from './types.js';

/** Argo's CanaryStepString: "setWeight: 20", "pause", "pause: 10s", "analysis", … */
export function stepDescription(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause !== undefined)
    return step.pause.duration === undefined ? 'pause' : `pause: ${String(step.pause.duration)}`;
  if (step.experiment !== undefined) return 'experiment';
  if (step.analysis !== undefined) return 'analysis';
  if (step.setCanaryScale !== undefined) return 'setCanaryScale';
  if (step.setHeaderRoute !== undefined) return 'setHeaderRoute';
  if (step.setMirrorRoute !== undefined) return 'setMirrorRoute';
  if (step.plugin !== undefined) return 'plugin';
  return '';
}

/** metav1.FormatLabelSelector: "app=demo,tier in (a,b)"; "<none>" for an empty selector. */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  ))
    parts.push(`${key}=${value}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.length === 0 ? '<none>' : parts.join(',');
}
