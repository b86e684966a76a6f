/**
 * The RollingSync part of an ApplicationSet reconcile: decide (pure, `progressive/rolling-sync.ts`),
 * put the auto-sync hold on every generated Application, then — once the Applications are written —
 * give each Application whose step is due its sync operation, and report a stopped rollout once
 * (Warning Event + one log line). Everything it needs to carry on after a restart is in
 * `status.applicationStatus` and on the Applications.
 */
import type { EventRecorder, ReconcileContext, StatusWriter } from '../core/index.js';
import type { KubeClient } from '../kube/index.js';
import type { Application } from '../sync/index.js';
import { ApplicationSetErrorCode } from './errors.js';
import { normalizeSpec } from './plan.js';
import { planRollingSync, type RollingSyncPlan, RolloutReason } from './progressive/rolling-sync.js';
import { isRollingSync, rollingSyncSteps } from './progressive/steps.js';
import { rollingSyncOperation, withAutoSyncHold } from './progressive/sync-trigger.js';
import type { GeneratedApplication } from './template/render.js';
import type { ApplicationSet } from './types.js';

export type RollingSyncPreparation =
  | { readonly kind: 'off' }
  | { readonly kind: 'no-steps' }
  | { readonly kind: 'on'; readonly plan: RollingSyncPlan; readonly generated: GeneratedApplication[] };

export const NO_STEPS_MESSAGE = 'No steps defined for rollout';

export function prepareRollingSync(
  appSet: ApplicationSet,
  current: readonly Application[],
  valid: readonly GeneratedApplication[],
  now: string,
): RollingSyncPreparation {
  if (!isRollingSync(appSet.spec.strategy)) return { kind: 'off' };
  if (rollingSyncSteps(appSet.spec.strategy).length === 0) return { kind: 'no-steps' };
  const plan = planRollingSync({
    strategy: appSet.spec.strategy,
    previous: appSet.status?.applicationStatus ?? [],
    apps: current,
    desired: valid.map((g) => ({
      name: g.metadata.name,
      labels: g.metadata.labels ?? {},
      spec: normalizeSpec(g.spec),
    })),
    now,
  });
  // the operation is written after the Applications (a merge patch), never as part of a replace
  return { kind: 'on', plan, generated: withAutoSyncHold(valid, appSet.metadata.name ?? '') };
}

export interface TriggerDeps {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly written: StatusWriter;
  readonly fieldManager: string;
}

/** Writes the sync operation of each Application whose step is due. */
export async function triggerSyncs(
  ctx: ReconcileContext,
  deps: TriggerDeps,
  appSet: ApplicationSet,
  plan: RollingSyncPlan,
  generated: readonly GeneratedApplication[],
): Promise<void> {
  const step = new Map(plan.applicationStatus.map((s) => [s.application, s.step]));
  for (const name of plan.toSync) {
    const g = generated.find((a) => a.metadata.name === name);
    if (g === undefined) continue;
    const updated = await deps.client.patch<Application>(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        namespace: appSet.metadata.namespace ?? '',
        name,
      },
      { operation: rollingSyncOperation(g.spec) },
      { type: 'merge', fieldManager: deps.fieldManager },
    );
    deps.written.remember(updated);
    deps.events.normal(
      appSet,
      'SyncTriggered',
      `RollingSync step ${step.get(name) ?? ''}: sync of Application ${JSON.stringify(name)}`,
    );
    ctx.logger.info({ application: name, step: step.get(name) }, 'rolling sync triggered a sync');
  }
}

/** A newly stopped rollout or a newly invalid step configuration gets a Warning Event and one log line. */
export function reportStop(
  ctx: ReconcileContext,
  events: EventRecorder,
  appSet: ApplicationSet,
  plan: RollingSyncPlan,
): void {
  const invalid = plan.conditions.find((c) => c.type === 'InvalidRolloutConfig' && c.status === 'True');
  const invalidBefore = appSet.status?.conditions?.find((c) => c.type === 'InvalidRolloutConfig');
  if (
    invalid !== undefined &&
    (invalidBefore?.status !== 'True' || invalidBefore.message !== invalid.message)
  ) {
    events.warning(appSet, invalid.reason, invalid.message);
    ctx.logger.warn(
      {
        applicationSet: `${appSet.metadata.namespace}/${appSet.metadata.name}`,
        code: ApplicationSetErrorCode.RolloutConfig,
        message: invalid.message,
      },
      'rolling sync steps are invalid',
    );
  }
  const now = plan.conditions.find((c) => c.type === 'RolloutProgressing');
  if (plan.stopped === undefined || now === undefined) return;
  const before = appSet.status?.conditions?.find((c) => c.type === 'RolloutProgressing');
  if (before?.reason === RolloutReason.Error && before.message === now.message) return;
  events.warning(appSet, RolloutReason.Error, now.message);
  ctx.logger.warn(
    {
      applicationSet: `${appSet.metadata.namespace}/${appSet.metadata.name}`,
      code: ApplicationSetErrorCode.RolloutStopped,
      application: plan.stopped.application,
      step: plan.stopped.step,
      message: plan.stopped.message,
    },
    'rolling sync stopped',
  );
}
