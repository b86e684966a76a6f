import { deleteFluxCondition, FluxConditionType, type FluxReason, setFluxCondition } from './conditions.js';
import type { FluxCondition } from './types.js';

/** image-reflector-controller's reasons (api/v1 condition_types.go, fluxcd/pkg meta and acl), exact strings. */
export const ImageReason = {
  Succeeded: 'Succeeded',
  Progressing: 'Progressing',
  ProgressingWithRetry: 'ProgressingWithRetry',
  ImageURLInvalid: 'ImageURLInvalid',
  DependencyNotReady: 'DependencyNotReady',
  AuthenticationFailed: 'AuthenticationFailed',
  ReadOperationFailed: 'ReadOperationFailed',
  IntervalNotConfigured: 'IntervalNotConfigured',
  InvalidPolicy: 'InvalidPolicy',
  AccessDenied: 'AccessDenied',
  /** metav1.StatusFailure: a policy that found no latest tag, a failed digest lookup. */
  Failure: 'Failure',
  /** Slipway's: a field Slipway does not implement (`provider` other than `generic`, `serviceAccountName`, …). */
  UnsupportedSpec: 'UnsupportedSpec',
} as const;
export type ImageReason = (typeof ImageReason)[keyof typeof ImageReason];

/** How one ImageRepository or ImagePolicy reconcile ended. */
export type ImageOutcome =
  | { readonly kind: 'ready'; readonly message: string }
  /** The spec must change: Stalled and Ready=False with the same reason and message, no retry. */
  | { readonly kind: 'stalled'; readonly reason: ImageReason; readonly message: string }
  /** Retried: Ready=False, Reconciling=True (ProgressingWithRetry) with what was in progress. */
  | {
      readonly kind: 'failed';
      readonly reason: ImageReason;
      readonly message: string;
      readonly progress: string;
    };

/**
 * fluxcd/pkg's ResultFinalizer as the image reconcilers end: success leaves Ready=True (Succeeded)
 * alone; a stall drops Reconciling; a retry keeps Reconciling with ProgressingWithRetry. Pure.
 */
export function finalizeImageConditions(
  conditions: readonly FluxCondition[] | undefined,
  outcome: ImageOutcome,
  generation: number | undefined,
  now: string,
): readonly FluxCondition[] {
  let out = conditions ?? [];
  const set = (type: FluxConditionType, status: 'True' | 'False', reason: ImageReason, message: string) => {
    out = setFluxCondition(out, { type, status, reason: reason as FluxReason, message }, generation, now);
  };
  switch (outcome.kind) {
    case 'ready':
      out = deleteFluxCondition(out, FluxConditionType.Reconciling);
      out = deleteFluxCondition(out, FluxConditionType.Stalled);
      set(FluxConditionType.Ready, 'True', ImageReason.Succeeded, outcome.message);
      return out;
    case 'stalled':
      out = deleteFluxCondition(out, FluxConditionType.Reconciling);
      set(FluxConditionType.Stalled, 'True', outcome.reason, outcome.message);
      set(FluxConditionType.Ready, 'False', outcome.reason, outcome.message);
      return out;
    case 'failed':
      out = deleteFluxCondition(out, FluxConditionType.Stalled);
      set(FluxConditionType.Reconciling, 'True', ImageReason.ProgressingWithRetry, outcome.progress);
      set(FluxConditionType.Ready, 'False', outcome.reason, outcome.message);
      return out;
  }
}

/** Whether the outcome changes what Ready says (so it deserves an Event and a log line). */
export function readyChanged(
  before: readonly FluxCondition[] | undefined,
  after: readonly FluxCondition[],
): boolean {
  const b = before?.find((c) => c.type === FluxConditionType.Ready);
  const a = after.find((c) => c.type === FluxConditionType.Ready);
  return b?.status !== a?.status || b?.reason !== a?.reason || b?.message !== a?.message;
}
