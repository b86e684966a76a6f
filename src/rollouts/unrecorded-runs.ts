/**
 * AnalysisRuns this process created that the Rollout's status does not name yet. Status is written
 * before acting (a crash never moves a Rollout back), so a run created in one reconcile is recorded
 * in the next. If the run completes in between (a fast Inconclusive or Failed measurement), the
 * "live run created before it was recorded" fallback no longer finds it, and the next reconcile
 * would start a ".1" twin. Filling the missing reference from here closes that gap.
 */
import type { AnalysisRunStatusRef, Rollout } from './types.js';

type Kind = 'Step' | 'Background';
const FIELD = {
  Step: 'currentStepAnalysisRunStatus',
  Background: 'currentBackgroundAnalysisRunStatus',
} as const;

interface Created {
  readonly name: string;
  readonly podHash: string;
  /** The step the run gates (step runs only). */
  readonly stepIndex?: number;
}

export class UnrecordedRuns {
  private readonly byRollout = new Map<string, Partial<Record<Kind, Created>>>();

  /** A run was created (or found) for this Rollout at its current hash and step, to be recorded next. */
  remember(rolloutUid: string, kind: Kind, created: Created): void {
    const entry = this.byRollout.get(rolloutUid) ?? {};
    entry[kind] = created;
    this.byRollout.set(rolloutUid, entry);
  }

  /**
   * The Rollout as the decision should see it: a missing run reference filled with the run we
   * created; references status already has win (and retire what we remembered).
   */
  fill<T extends Rollout>(rollout: T): T {
    const uid = rollout.metadata?.uid ?? '';
    const entry = this.byRollout.get(uid);
    if (entry === undefined) return rollout;
    const status = rollout.status ?? {};
    const canary = status.canary ?? {};
    const filled: Record<string, AnalysisRunStatusRef> = {};
    for (const kind of ['Step', 'Background'] as const) {
      const created = entry[kind];
      if (created === undefined) continue;
      const stillDue =
        canary[FIELD[kind]] === undefined &&
        status.currentPodHash === created.podHash &&
        (kind === 'Background' || status.currentStepIndex === created.stepIndex);
      if (stillDue) filled[FIELD[kind]] = { name: created.name, status: '' };
      else delete entry[kind];
    }
    if (entry.Step === undefined && entry.Background === undefined) this.byRollout.delete(uid);
    if (Object.keys(filled).length === 0) return rollout;
    return { ...rollout, status: { ...(rollout.status ?? {}), canary: { ...canary, ...filled } } };
  }
}
