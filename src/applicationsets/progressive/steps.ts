/**
 * Which RollingSync step each generated Application belongs to, Argo CD's `buildAppDependencyList`:
 * every `matchExpressions` entry must hold (AND); `In`/`NotIn` match any of their values (OR); a
 * missing label fails `In` and passes `NotIn`; an Application selected by two steps stays in the
 * first. Plus `maxUpdate` (`GetScaledValueFromIntOrPercent`, rounded down, at least 1 for a percent
 * above 0 %) and the validation issues Argo reports in `InvalidRolloutConfig`. Pure.
 */
import type { ApplicationMatchExpression, ApplicationSetStrategy, RollingSyncStep } from '../types.js';

export interface StepAssignment {
  /** Application names per step, in the order given. */
  readonly steps: readonly (readonly string[])[];
  /** Application name → 0-based step (first selecting step). Absent: in no step. */
  readonly stepOf: ReadonlyMap<string, number>;
  readonly issues: ValidationIssues;
}

export interface ValidationIssues {
  readonly invalidOperators: readonly { readonly step: number; readonly operator: string }[];
  /** Application → 0-based steps that select it, in order. */
  readonly duplicates: ReadonlyMap<string, readonly number[]>;
  readonly emptySteps: readonly number[];
  readonly invalidMaxUpdates: readonly { readonly step: number; readonly value: string }[];
}

export const isRollingSync = (s: ApplicationSetStrategy | undefined) =>
  s?.type === 'RollingSync' && s.rollingSync !== undefined;

export const rollingSyncSteps = (s: ApplicationSetStrategy | undefined): readonly RollingSyncStep[] =>
  isRollingSync(s) ? (s?.rollingSync?.steps ?? []) : [];

/** Argo's `labelMatchedExpression`; `undefined` for an operator other than In/NotIn. */
function matches(value: string, e: ApplicationMatchExpression): boolean | undefined {
  if (e.operator !== 'In' && e.operator !== 'NotIn') return undefined;
  const listed = (e.values ?? []).includes(value);
  return e.operator === 'In' ? listed : !listed;
}

export function assignSteps(
  steps: readonly RollingSyncStep[],
  apps: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[],
): StepAssignment {
  const lists: string[][] = steps.map(() => []);
  const stepOf = new Map<string, number>();
  const invalidOperators: { step: number; operator: string }[] = [];
  const duplicates = new Map<string, number[]>();
  for (const app of apps) {
    for (const [i, step] of steps.entries()) {
      let selected = true;
      for (const e of step.matchExpressions ?? []) {
        const value = app.labels[e.key ?? ''];
        if (value !== undefined) {
          const m = matches(value, e);
          if (m === undefined) {
            const operator = e.operator ?? '';
            if (!invalidOperators.some((x) => x.step === i && x.operator === operator))
              invalidOperators.push({ step: i, operator });
            selected = false;
            break;
          }
          if (!m) {
            selected = false;
            break;
          }
        } else if (e.operator === 'In') {
          selected = false;
          break;
        }
      }
      if (!selected) continue;
      lists[i]!.push(app.name);
      const first = stepOf.get(app.name);
      if (first === undefined) stepOf.set(app.name, i);
      else duplicates.set(app.name, [...(duplicates.get(app.name) ?? [first]), i]);
    }
  }
  const emptySteps = lists.flatMap((l, i) => (l.length === 0 ? [i] : []));
  const invalidMaxUpdates = steps.flatMap((s, i) =>
    s.maxUpdate !== undefined && scaledMaxUpdate(s.maxUpdate, 1) === undefined
      ? [{ step: i, value: String(s.maxUpdate) }]
      : [],
  );
  return { steps: lists, stepOf, issues: { invalidOperators, duplicates, emptySteps, invalidMaxUpdates } };
}

/**
 * How many Applications of a step of `total` may be Pending or Progressing at once. `undefined` for a
 * value that is neither an int nor an `N%` string (Argo then ignores maxUpdate for the step).
 */
export function scaledMaxUpdate(maxUpdate: number | string, total: number): number | undefined {
  if (typeof maxUpdate === 'number') return Number.isInteger(maxUpdate) ? maxUpdate : undefined;
  const m = /^(-?\d+)%$/.exec(maxUpdate);
  if (m === null) {
    // an IntOrString holding a plain number string is still a string to Argo: invalid
    return undefined;
  }
  const percent = Number(m[1]);
  const value = Math.floor((percent * total) / 100);
  return maxUpdate !== '0%' && value < 1 ? 1 : value;
}

export const hasIssues = (v: ValidationIssues) =>
  v.invalidOperators.length > 0 ||
  v.duplicates.size > 0 ||
  v.emptySteps.length > 0 ||
  v.invalidMaxUpdates.length > 0;

/** Argo's `getConditionMessage`: the first kind of issue, in its priority order, with its wording. */
export function issuesMessage(v: ValidationIssues): string {
  if (v.invalidOperators.length > 0) {
    const steps = v.invalidOperators.map((x) => String(x.step + 1));
    const ops = v.invalidOperators.map((x) => x.operator).join(', ');
    return steps.length === 1
      ? `Step ${steps[0]} has invalid matchExpression operators: ${ops}. Supported Operators are 'In' and 'NotIn'`
      : `Steps ${steps.join(', ')} have invalid matchExpression operators: ${ops}. Supported Operators are 'In' and 'NotIn'`;
  }
  if (v.duplicates.size > 0) {
    const names = [...v.duplicates.keys()].sort();
    const steps = names.map((n) => (v.duplicates.get(n) ?? []).map((s) => String(s + 1)).join('-'));
    return names.length === 1
      ? `Application '${names[0]}' is selected by multiple steps: (${steps[0]})`
      : `Applications '${names.join("', '")}' are selected by multiple steps: [(${steps.join('), (')})]`;
  }
  if (v.invalidMaxUpdates.length > 0) {
    const steps = v.invalidMaxUpdates.map((x) => String(x.step + 1)).join(', ');
    const values = v.invalidMaxUpdates.map((x) => x.value).join(', ');
    return v.invalidMaxUpdates.length === 1
      ? `Step ${steps} has an invalid maxUpdate value: ${values}`
      : `Steps ${steps} have invalid maxUpdate values: [${values}]`;
  }
  if (v.emptySteps.length > 0)
    return `Steps [${v.emptySteps.map((s) => String(s + 1)).join(' ')}] have no applications matching their criteria`;
  return '';
}
