import type { EventRecorder, ReconcileContext, StatusWriter } from '../core/index.js';
import type { KubeClient, KubeObject } from '../kube/index.js';
import { handledReconcileRequest } from './current-object.js';
import { finalizeImageConditions, type ImageOutcome, ImageReason, readyChanged } from './image-conditions.js';
import { writeFluxStatus } from './status-write.js';
import type { FluxCondition } from './types.js';

/** The status fields every image-reflector object shares. */
interface ImageObjectStatus {
  readonly conditions?: readonly FluxCondition[];
  readonly observedGeneration?: number;
  readonly lastHandledReconcileAt?: string;
}

export interface ImageOutcomeDeps {
  readonly client: KubeClient;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
}

/** The log lines of Flux's notify for one kind (constant messages); `ready` with its fields, or none. */
export interface ImageOutcomeLog {
  readonly notReady: string;
  readonly ready?: { readonly message: string; readonly fields: Readonly<Record<string, unknown>> };
}

/**
 * How an ImageRepository or ImagePolicy reconcile ends: the outcome's conditions on `status`
 * (observedGeneration unless it failed, the handled `flux reconcile` request), Flux's notify when
 * Ready changes (a Normal Event when ready, else a Warning Event and a log line), the status
 * written once.
 */
export async function writeImageOutcome<T extends KubeObject & { readonly status?: ImageObjectStatus }>(
  d: ImageOutcomeDeps,
  ctx: ReconcileContext,
  obj: T,
  status: NonNullable<T['status']>,
  outcome: ImageOutcome,
  now: string,
  log: ImageOutcomeLog,
): Promise<void> {
  const gen = obj.metadata.generation;
  const conditions = finalizeImageConditions(obj.status?.conditions, outcome, gen, now);
  if (readyChanged(obj.status?.conditions, conditions)) {
    if (outcome.kind === 'ready') {
      if (log.ready) ctx.logger.info(log.ready.fields, log.ready.message);
      d.events.normal(obj, ImageReason.Succeeded, outcome.message);
    } else {
      ctx.logger.warn({ reason: outcome.reason, message: outcome.message }, log.notReady);
      d.events.warning(obj, outcome.reason, outcome.message);
    }
  }
  await writeFluxStatus(d.client, d.writer, obj, {
    ...status,
    conditions,
    ...(outcome.kind !== 'failed' && { observedGeneration: gen ?? 0 }),
    ...handledReconcileRequest(obj),
  });
}
