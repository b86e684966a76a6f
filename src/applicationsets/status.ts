/**
 * The ApplicationSet status as Argo CD's controller writes it: condition types and reasons with
 * upstream's strings, `setApplicationSetStatusCondition` (ParametersGenerated always evaluated,
 * ErrorOccurred and ResourcesUpToDate derived from each other, unchanged conditions keep their
 * time), the health computed from the conditions, and `status.resources`. Pure; time comes in.
 */
import type { Application } from '../sync/index.js';
import type {
  ApplicationSetApplicationStatus,
  ApplicationSetCondition,
  ApplicationSetConditionType,
  ApplicationSetResourceStatus,
  ApplicationSetStatus,
} from './types.js';

export const ApplicationSetReason = {
  ErrorOccurred: 'ErrorOccurred',
  ApplicationSetUpToDate: 'ApplicationSetUpToDate',
  ParametersGenerated: 'ParametersGenerated',
  UpdateApplicationError: 'UpdateApplicationError',
  ApplicationParamsGenerationError: 'ApplicationGenerationFromParamsError',
  RenderTemplateParamsError: 'RenderTemplateParamsError',
  CreateApplicationError: 'CreateApplicationError',
  DeleteApplicationError: 'DeleteApplicationError',
  RefreshApplicationError: 'RefreshApplicationError',
  ApplicationValidationError: 'ApplicationValidationError',
  RolloutError: 'ApplicationSetRolloutError',
} as const;

export const UP_TO_DATE_MESSAGE = 'All applications have been generated successfully';
export const PARAMETERS_GENERATED_MESSAGE = 'Successfully generated parameters for all Applications';

type Incoming = Omit<ApplicationSetCondition, 'lastTransitionTime'>;

/**
 * Argo's `setApplicationSetStatusCondition` + `SetConditions`. Without RollingSync the rollout
 * conditions are always evaluated (so removed); with it they change only when given.
 */
export function applyConditions(
  existing: readonly ApplicationSetCondition[],
  incoming: readonly Incoming[],
  parametersGenerated: boolean,
  now: string,
  rollingSync = false,
): ApplicationSetCondition[] {
  const evaluated = new Map<ApplicationSetConditionType, boolean>([
    ['ParametersGenerated', true],
    ['ErrorOccurred', false],
    ['ResourcesUpToDate', false],
    ['RolloutProgressing', !rollingSync],
    ['InvalidRolloutConfig', !rollingSync],
  ]);
  const next: Incoming[] = [];
  const hasParams = incoming.some((c) => c.type === 'ParametersGenerated');
  let paramsMessage = 'progressive sync';
  for (const c of incoming) {
    if (c.type === 'ParametersGenerated') break;
    if (c.type === 'ErrorOccurred') paramsMessage = c.message;
  }
  if (!hasParams) {
    next.push(
      parametersGenerated
        ? {
            type: 'ParametersGenerated',
            status: 'True',
            reason: ApplicationSetReason.ParametersGenerated,
            message: PARAMETERS_GENERATED_MESSAGE,
          }
        : {
            type: 'ParametersGenerated',
            status: 'False',
            reason: ApplicationSetReason.ErrorOccurred,
            message: paramsMessage,
          },
    );
  }
  for (const c of incoming) {
    if ((c.type === 'RolloutProgressing' || c.type === 'InvalidRolloutConfig') && !rollingSync) continue;
    evaluated.set(c.type, true);
    next.push(c);
    if (c.type === 'ResourcesUpToDate' && c.status === 'True') {
      evaluated.set('ErrorOccurred', true);
      next.push({ type: 'ErrorOccurred', status: 'False', reason: c.reason, message: c.message });
    } else if (c.type === 'ErrorOccurred' && c.status === 'True') {
      evaluated.set('ResourcesUpToDate', true);
      next.push({
        type: 'ResourcesUpToDate',
        status: 'False',
        reason: ApplicationSetReason.ErrorOccurred,
        message: c.message,
      });
    }
  }
  const out: ApplicationSetCondition[] = [];
  for (const c of existing) {
    if (evaluated.get(c.type) !== true)
      out.push(c.lastTransitionTime ? c : { ...c, lastTransitionTime: now });
  }
  for (const c of next) {
    if (evaluated.get(c.type) !== true) continue;
    const prev = existing.find((e) => e.type === c.type);
    if (prev && prev.message === c.message && prev.reason === c.reason && prev.status === c.status)
      out.push(prev);
    else out.push({ ...c, lastTransitionTime: now });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  out.sort(
    (a, b) =>
      cmp(a.type, b.type) ||
      cmp(a.status, b.status) ||
      cmp(a.reason, b.reason) ||
      cmp(a.message, b.message) ||
      cmp(a.lastTransitionTime ?? '', b.lastTransitionTime ?? ''),
  );
  return out;
}

/**
 * Argo's `CalculateHealth`; and a rollout stopped by a Degraded or failed Application
 * (`RolloutProgressing` with reason `ApplicationSetRolloutError`) is Degraded.
 */
export function applicationSetHealth(conditions: readonly ApplicationSetCondition[]): {
  status: string;
  message: string;
} {
  if (conditions.length === 0)
    return { status: 'Unknown', message: 'No status conditions found for ApplicationSet' };
  let progressing: ApplicationSetCondition | undefined;
  let healthy: ApplicationSetCondition | undefined;
  for (const c of conditions) {
    if (c.status !== 'True') continue;
    if (c.type === 'ErrorOccurred') return { status: 'Degraded', message: c.message };
  }
  for (const c of conditions) {
    if (c.type === 'RolloutProgressing' && c.reason === 'ApplicationSetRolloutError')
      return { status: 'Degraded', message: c.message };
    if (c.status !== 'True') continue;
    if (c.type === 'RolloutProgressing') progressing = c;
    if (c.type === 'ResourcesUpToDate') healthy = c;
  }
  if (progressing) return { status: 'Progressing', message: progressing.message };
  if (healthy) return { status: 'Healthy', message: healthy.message };
  return { status: 'Unknown', message: 'Waiting for health status to be determined' };
}

/** `status.resources`: each owned Application's sync and health status, sorted by name. */
export function resourceStatuses(apps: readonly Application[]): ApplicationSetResourceStatus[] {
  return apps
    .map((app) => ({
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Application',
      name: app.metadata.name ?? '',
      namespace: app.metadata.namespace ?? '',
      ...(app.status?.sync?.status !== undefined && { status: app.status.sync.status }),
      health: app.status?.health?.status !== undefined ? { status: app.status.health.status } : {},
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** RollingSync's part of the status: `undefined` entries keep the stored ones. */
export interface ProgressiveStatus {
  readonly rollingSync: boolean;
  readonly applicationStatus?: readonly ApplicationSetApplicationStatus[];
}

/**
 * The whole status: conditions as Argo sets them, its health, the resources, and RollingSync's
 * `applicationStatus` (removed when the strategy is not RollingSync, as Argo does).
 */
export function buildStatus(
  previous: ApplicationSetStatus | undefined,
  incoming: readonly Incoming[],
  parametersGenerated: boolean,
  apps: readonly Application[] | undefined,
  now: string,
  progressive: ProgressiveStatus = { rollingSync: false },
): ApplicationSetStatus {
  const conditions = applyConditions(
    previous?.conditions ?? [],
    incoming,
    parametersGenerated,
    now,
    progressive.rollingSync,
  );
  const resources = apps === undefined ? (previous?.resources ?? []) : resourceStatuses(apps);
  const { applicationStatus: stored, ...rest } = previous ?? {};
  const applicationStatus = progressive.rollingSync ? (progressive.applicationStatus ?? stored) : undefined;
  return {
    ...rest,
    ...(applicationStatus !== undefined && applicationStatus.length > 0 && { applicationStatus }),
    conditions,
    health: applicationSetHealth(conditions),
    resources,
    resourcesCount: resources.length,
  };
}
