import type { ConditionStatus } from '../core/index.js';
import {
  deleteFluxCondition,
  FluxConditionType,
  FluxReason,
  setFluxCondition,
  withRetryReason,
} from './conditions.js';
import { handledReconcileRequest } from './current-object.js';
import type { FluxCondition, Kustomization, KustomizationStatus, ResourceRef } from './types.js';

// kept here too for the files that import it from this one
export { RECONCILE_REQUEST_ANNOTATION } from './current-object.js';

/**
 * The status one Kustomization reconcile builds, step by step, and writes once (Flux's deferred
 * `finalizeStatus`): conditions stamped with the generation, revisions, inventory. Pure.
 */
export class KustomizationStatusDraft {
  private conditions: readonly FluxCondition[];
  private fields: Omit<KustomizationStatus, 'conditions'>;

  constructor(
    private readonly k: Kustomization,
    private readonly now: string,
  ) {
    const { conditions, ...rest } = k.status ?? {};
    this.conditions = conditions ?? [];
    this.fields = rest;
  }

  condition(type: FluxConditionType): FluxCondition | undefined {
    return this.conditions.find((c) => c.type === type);
  }

  set(type: FluxConditionType, status: ConditionStatus, reason: FluxReason, message: string): this {
    this.conditions = setFluxCondition(
      this.conditions,
      { type, status, reason, message },
      this.k.metadata.generation,
      this.now,
    );
    return this;
  }

  delete(type: FluxConditionType): this {
    this.conditions = deleteFluxCondition(this.conditions, type);
    return this;
  }

  /** Ready False with `reason`; a running Reconciling condition turns ProgressingWithRetry. */
  fail(reason: FluxReason, message: string): this {
    return this.set(FluxConditionType.Ready, 'False', reason, message);
  }

  attempted(revision: string): this {
    this.fields = { ...this.fields, lastAttemptedRevision: revision };
    return this;
  }

  inventory(entries: readonly ResourceRef[]): this {
    this.fields = { ...this.fields, inventory: { entries } };
    return this;
  }

  /** Ready True for `revision`: lastAppliedRevision, observedGeneration, no Reconciling. */
  succeeded(revision: string): this {
    this.fields = {
      ...this.fields,
      lastAppliedRevision: revision,
      observedGeneration: this.k.metadata.generation ?? 0,
    };
    this.delete(FluxConditionType.Reconciling);
    return this.set(
      FluxConditionType.Ready,
      'True',
      FluxReason.ReconciliationSucceeded,
      `Applied revision: ${revision}`,
    );
  }

  build(): KustomizationStatus {
    // `flux reconcile` waits for the handled request to equal the one it annotated
    return {
      ...this.fields,
      ...handledReconcileRequest(this.k),
      conditions: withRetryReason(this.conditions),
    };
  }
}
