import { compile, type Program } from '../expr/index.js';
import type { TriggerCondition } from './config.js';

/**
 * Trigger evaluation (pure): each condition's `when` is an expr-lang expression over the trigger environment
 * (`app`/`rollout`/`analysisRun`, `context`, `secrets`, `time`, `strings`), compiled once with undefined
 * variables allowed, as notifications-engine does. A condition without `when` always holds (Argo Rollouts'
 * event triggers). `oncePer` is an expression too, evaluated only when the condition holds.
 */

export type ConditionOutcome = 'true' | 'false' | 'error';

export interface ConditionResult {
  readonly index: number;
  readonly when: string;
  readonly outcome: ConditionOutcome;
  /** Why evaluation failed (no values of the environment are included). */
  readonly error?: string;
  /** The evaluated `oncePer` value when the condition holds; absent when none. */
  readonly oncePer?: string;
  readonly templates: readonly string[];
}

/**
 * Event reasons Argo Rollouts turns into notifications (`utils/record/record.go`); their triggers fire on the
 * event, never on state.
 */
// biome-ignore format: compact catalogue
export const rolloutEventReasons = [
  'RolloutUpdated', 'RolloutStepCompleted', 'RolloutPaused', 'RolloutResumed', 'RolloutAborted',
  'RolloutCompleted', 'RolloutNotCompleted', 'RolloutPromoted', 'ScalingReplicaSet', 'AnalysisRunRunning',
  'AnalysisRunFailed', 'AnalysisRunError', 'AnalysisRunSuccessful', 'AnalysisRunInconclusive',
] as const;

/** Argo Rollouts `translateReasonToTrigger`: `RolloutStepCompleted` → `on-rollout-step-completed`. */
export function eventTriggerName(reason: string): string {
  return `on-${reason.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

const eventTriggerNames: ReadonlySet<string> = new Set(rolloutEventReasons.map(eventTriggerName));

/**
 * True for triggers that fire on events rather than on state: the name of a known Argo Rollouts event
 * trigger, or any condition without `when` (which would otherwise fire once, forever).
 */
export function isEventTrigger(name: string, conditions: readonly TriggerCondition[]): boolean {
  return eventTriggerNames.has(name) || conditions.some((c) => c.when.trim() === '');
}

/** Go's `%v` of an `oncePer` value, for the state key. */
function formatOncePer(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Compiles expressions once per text (the same `when` is shared by many objects). */
export class TriggerEvaluator {
  private readonly programs = new Map<string, Program | Error>();

  private program(source: string): Program {
    let p = this.programs.get(source);
    if (p === undefined) {
      try {
        p = compile(source, { allowUndefinedVariables: true });
      } catch (err) {
        p = err instanceof Error ? err : new Error(String(err));
      }
      if (this.programs.size > 10_000) this.programs.clear();
      this.programs.set(source, p);
    }
    if (p instanceof Error) throw p;
    return p;
  }

  /** Evaluates every condition of one trigger. */
  evaluate(
    conditions: readonly TriggerCondition[],
    env: Readonly<Record<string, unknown>>,
    now: Date,
  ): ConditionResult[] {
    return conditions.map((c, index) => {
      const base = { index, when: c.when, templates: c.send };
      let holds: boolean;
      try {
        holds = c.when.trim() === '' || this.program(c.when).evaluate(env, { now }) === true;
      } catch (err) {
        return { ...base, outcome: 'error', error: reason(err) };
      }
      if (!holds) return { ...base, outcome: 'false' };
      if (c.oncePer === undefined || c.oncePer === '') return { ...base, outcome: 'true' };
      try {
        const oncePer = formatOncePer(this.program(c.oncePer).evaluate(env, { now }));
        return { ...base, outcome: 'true', ...(oncePer !== undefined && { oncePer }) };
      } catch (err) {
        return { ...base, outcome: 'error', error: `oncePer: ${reason(err)}` };
      }
    });
  }
}
