/** Human-readable form Argo prints for a canary step in events. Pure. */
import type { CanaryStep } from '../types.js';

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
