import { deleteFluxCondition, FluxConditionType, type FluxReason, setFluxCondition } from '../conditions.js';
import { handledReconcileRequest } from '../current-object.js';
import type { FluxCondition } from '../types.js';
import type { ImageRef } from './setter-values.js';
import type { ImageUpdateAutomation, ImageUpdateAutomationStatus } from './types.js';

/** image-automation-controller's reasons (api/v1 condition_types.go and fluxcd/pkg meta), exact strings. */
export const ImageAutomationReason = {
  Succeeded: 'Succeeded',
  ProgressingWithRetry: 'ProgressingWithRetry',
  InvalidUpdateStrategy: 'InvalidUpdateStrategy',
  InvalidSourceConfiguration: 'InvalidSourceConfiguration',
  SourceManagerFailed: 'SourceManagerFailed',
  GitOperationFailed: 'GitOperationFailed',
  UpdateFailed: 'UpdateFailed',
  InvalidPolicySelector: 'InvalidPolicySelector',
  RemovedTemplateField: 'RemovedTemplateField',
} as const;
export type ImageAutomationReason = (typeof ImageAutomationReason)[keyof typeof ImageAutomationReason];

/** Flux's Ready message after a run that left the repository as the policies want it. */
export const READY_MESSAGE = 'repository up-to-date';

/** How a run ended, for the Event Flux emits (see `AutomationStatusDraft.outcome`). */
export type RunOutcome = 'succeeded' | 'stalled' | 'failed';

/**
 * The status one automation run builds and writes once, as image-automation-controller's deferred
 * patch and result finalizer leave it: Ready True `Succeeded` / `repository up-to-date`; a stall
 * (Stalled and Ready False with the same reason, observedGeneration set); a retriable failure (Ready
 * False, Reconciling `ProgressingWithRetry`, observedGeneration kept). Pure.
 */
export class AutomationStatusDraft {
  private conditions: readonly FluxCondition[];
  private fields: Omit<ImageUpdateAutomationStatus, 'conditions'>;
  private ended: RunOutcome = 'succeeded';

  constructor(
    private readonly obj: ImageUpdateAutomation,
    private readonly now: string,
  ) {
    const { conditions, ...rest } = obj.status ?? {};
    this.conditions = conditions ?? [];
    this.fields = { ...rest, lastAutomationRunTime: now };
  }

  get outcome(): RunOutcome {
    return this.ended;
  }

  ready(): FluxCondition | undefined {
    return this.conditions.find((c) => c.type === FluxConditionType.Ready);
  }

  private set(
    type: FluxConditionType,
    status: 'True' | 'False',
    reason: ImageAutomationReason,
    message: string,
  ) {
    // the reasons above are Flux's too; the shared setter's catalogue lists the source/kustomize ones
    const input = { type, status, reason: reason as FluxReason, message };
    this.conditions = setFluxCondition(this.conditions, input, this.obj.metadata.generation, this.now);
  }

  private observed(): void {
    this.fields = { ...this.fields, observedGeneration: this.obj.metadata.generation ?? 0 };
  }

  succeeded(): this {
    this.ended = 'succeeded';
    this.conditions = deleteFluxCondition(this.conditions, FluxConditionType.Stalled);
    this.conditions = deleteFluxCondition(this.conditions, FluxConditionType.Reconciling);
    this.set(FluxConditionType.Ready, 'True', ImageAutomationReason.Succeeded, READY_MESSAGE);
    this.observed();
    return this;
  }

  stalled(reason: ImageAutomationReason, message: string): this {
    this.ended = 'stalled';
    this.conditions = deleteFluxCondition(this.conditions, FluxConditionType.Reconciling);
    this.set(FluxConditionType.Stalled, 'True', reason, message);
    this.set(FluxConditionType.Ready, 'False', reason, message);
    this.observed();
    return this;
  }

  failed(reason: ImageAutomationReason, message: string): this {
    this.ended = 'failed';
    this.conditions = deleteFluxCondition(this.conditions, FluxConditionType.Stalled);
    this.set(FluxConditionType.Ready, 'False', reason, message);
    this.set(
      FluxConditionType.Reconciling,
      'True',
      ImageAutomationReason.ProgressingWithRetry,
      'reconciliation in progress',
    );
    return this;
  }

  /** The policies and source revision this run saw (kept to skip the next run when nothing moved). */
  observe(policies: Readonly<Record<string, ImageRef>>, sourceRevision: string): this {
    this.fields = { ...this.fields, observedPolicies: policies, observedSourceRevision: sourceRevision };
    return this;
  }

  pushed(commit: string, at: string): this {
    this.fields = { ...this.fields, lastPushCommit: commit, lastPushTime: at };
    return this;
  }

  build(): ImageUpdateAutomationStatus {
    return {
      ...this.fields,
      ...handledReconcileRequest(this.obj),
      conditions: this.conditions,
    };
  }
}

/** Flux's `observedPoliciesChanged`: any policy added, removed or pointing elsewhere. Pure. */
export function observedPoliciesChanged(
  previous: Readonly<Record<string, ImageRef>> | undefined,
  current: Readonly<Record<string, ImageRef>>,
): boolean {
  const prev = previous ?? {};
  const names = Object.keys(current);
  if (names.length !== Object.keys(prev).length) return true;
  return names.some((n) => {
    const a = prev[n];
    const b = current[n];
    return !a || !b || a.name !== b.name || a.tag !== b.tag || (a.digest ?? '') !== (b.digest ?? '');
  });
}

/** Flux's PushResult.Summary: `pushed commit '<short>' to branch '<b>'[ and refspecs '…']\n<message>`. */
export function pushSummary(
  commit: string,
  branch: string,
  refspecs: readonly string[],
  message: string,
): string {
  let s = `pushed commit '${commit.slice(0, 7)}' to branch '${branch}'`;
  if (refspecs.length > 0) s += ` and refspecs '${refspecs.join("', '")}'`;
  if (message !== '') s += `\n${message}`;
  return s;
}
