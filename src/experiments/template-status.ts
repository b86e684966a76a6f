/**
 * One template's step of an Experiment decision (Argo's reconcileTemplate): create its ReplicaSet,
 * keep its Service, scale it (down after completion, once the `scale-down-deadline` annotation has
 * passed), and assess its status code (Progressing → Running → Successful, Failed past the progress
 * deadline, Error when an API call was refused). Pure: actions, events and a wake-up time are returned.
 */
import { toKubeTime } from '../core/index.js';
import type { KubeObject } from '../kube/index.js';
import {
  POD_TEMPLATE_HASH_LABEL,
  type ReplicaSet,
  SCALE_DOWN_DEADLINE_ANNOTATION,
} from '../rollouts/index.js';
import { type ActionFailures, type ExperimentAction, type ExperimentEvent, failureKey } from './actions.js';
import { progressDeadlineSeconds, scaleDownDelaySeconds } from './conditions.js';
import { buildTemplateReplicaSet, buildTemplateService, templateReplicas } from './template-objects.js';
import type {
  Experiment,
  ExperimentTemplate,
  ExperimentTemplateStatus,
  TemplateStatusCode,
} from './types.js';

export const isTemplateCompleted = (code: TemplateStatusCode | undefined): boolean =>
  code === 'Successful' || code === 'Failed' || code === 'Error';

export interface TemplateInput {
  readonly experiment: Experiment;
  readonly template: ExperimentTemplate;
  readonly replicaSet: ReplicaSet | undefined;
  readonly service: KubeObject | undefined;
  readonly now: number;
  /** Argo's IsTerminating over the stored status. */
  readonly terminating: boolean;
  /** The duration has passed since `availableAt` (stored status). */
  readonly passedDuration: boolean;
  readonly failures: ActionFailures;
}

export interface TemplateOutcome {
  readonly status: ExperimentTemplateStatus;
  readonly actions: readonly ExperimentAction[];
  readonly events: readonly ExperimentEvent[];
  /** Wake up then (a scale-down deadline), epoch ms. */
  readonly wakeAt?: number;
}

/** Argo's CalculateTemplateReplicasCount. */
export function desiredTemplateReplicas(
  t: ExperimentTemplate,
  terminating: boolean,
  previous: ExperimentTemplateStatus | undefined,
): number {
  if (terminating) return 0;
  if (isTemplateCompleted(previous?.status)) return 0;
  return templateReplicas(t);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function reconcileTemplate(input: TemplateInput): TemplateOutcome {
  const { experiment: ex, template: t, replicaSet: rs, service, now, failures } = input;
  const previous = ex.status?.templateStatuses?.find((s) => s.name === t.name);
  const ts: Mutable<ExperimentTemplateStatus> = {
    replicas: 0,
    updatedReplicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    ...(previous ?? {}),
    name: t.name,
  };
  const actions: ExperimentAction[] = [];
  const fail = (action: ExperimentAction, message: (err: string) => string): boolean => {
    const err = failures.get(failureKey(action));
    if (err === undefined) {
      actions.push(action);
      return false;
    }
    ts.status = 'Error';
    ts.message = message(err);
    return true;
  };
  const desired = desiredTemplateReplicas(t, input.terminating, previous);
  const nowTime = toKubeTime(now);
  let wakeAt: number | undefined;

  if (rs === undefined) {
    const replicaSet = buildTemplateReplicaSet(ex, t, desired, previous?.collisionCount);
    const failed = fail(
      { type: 'createReplicaSet', template: t.name, replicaSet },
      (err) => `Failed to create ReplicaSet for template '${t.name}': ${err}`,
    );
    if (!failed) ts.lastTransitionTime = nowTime;
  } else {
    const rsName = rs.metadata.name ?? '';
    if (t.service !== undefined && t.service !== null && desired !== 0) {
      if (service === undefined) {
        const built = buildTemplateService(ex, t, rs);
        if (built !== undefined) {
          const name = built.metadata.name ?? '';
          const failed = fail(
            { type: 'createService', template: t.name, service: built },
            (err) => `Failed to create Service ${name} for template '${t.name}': ${err}`,
          );
          if (!failed) Object.assign(ts, serviceFields(name, rs));
        }
      } else Object.assign(ts, serviceFields(service.metadata.name ?? '', rs));
    } else if (
      service !== undefined &&
      (t.service === undefined || t.service === null || (rs.status?.availableReplicas ?? 0) === 0)
    ) {
      // no Service wanted (any more), or the template is done and its pods are gone
      const failed = fail(
        { type: 'deleteService', template: t.name, name: service.metadata.name ?? '' },
        (err) => `Failed to delete Service for template '${t.name}': ${err}`,
      );
      if (!failed) {
        delete ts.serviceName;
        delete ts.podTemplateHash;
      }
    }

    let deadline: number | undefined;
    if (desired === 0) {
      const delay = scaleDownDelaySeconds(ex);
      const annotation = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
      if (delay === 0) {
        if (annotation !== undefined)
          actions.push({ type: 'setScaleDownDeadline', template: t.name, name: rsName, deadline: null });
      } else if (annotation === undefined) {
        const at = toKubeTime(now + delay * 1000);
        actions.push({ type: 'setScaleDownDeadline', template: t.name, name: rsName, deadline: at });
        deadline = Date.parse(at);
      } else deadline = Date.parse(annotation);
    }
    const current = rs.spec?.replicas ?? 1;
    if (current !== desired) {
      let target = desired;
      if (desired === 0 && deadline !== undefined && deadline > now) {
        // keep the pods until the scale-down deadline
        target = templateReplicas(t);
        wakeAt = deadline;
      }
      if (target !== current) {
        const failed = fail(
          { type: 'scaleReplicaSet', template: t.name, name: rsName, from: current, to: target },
          (err) =>
            `Unable to scale ReplicaSet for template '${t.name}' to desired replica count '${target}': ${err}`,
        );
        if (!failed) ts.lastTransitionTime = nowTime;
      }
    }
    ts.replicas = rs.status?.replicas ?? 0;
    ts.updatedReplicas = rs.status?.replicas ?? 0;
    ts.readyReplicas = rs.status?.readyReplicas ?? 0;
    ts.availableReplicas = rs.status?.availableReplicas ?? 0;
  }

  const counts = (s: ExperimentTemplateStatus | undefined) =>
    s === undefined
      ? '0/0/0/0'
      : [s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas].join('/');
  if (counts(previous) !== counts(ts)) ts.lastTransitionTime = nowTime;

  // a completed template never changes its status code again
  if (!isTemplateCompleted(ts.status)) {
    if (desired === ts.availableReplicas) {
      ts.status = input.passedDuration || input.terminating ? 'Successful' : 'Running';
    } else {
      const from = ts.lastTransitionTime !== undefined ? Date.parse(ts.lastTransitionTime) : now;
      const seconds = progressDeadlineSeconds(ex);
      if (now > from + seconds * 1000) {
        ts.status = 'Failed';
        ts.message = `Template '${t.name}' exceeded its progressDeadlineSeconds (${seconds})`;
      } else ts.status = input.terminating ? 'Successful' : 'Progressing';
    }
  }

  const events: ExperimentEvent[] = [];
  if (previous?.status !== ts.status) {
    const message = `Template '${t.name}' transitioned from ${previous?.status ?? ''} -> ${ts.status}`;
    events.push({
      eventType: ts.status === 'Failed' || ts.status === 'Error' ? 'Warning' : 'Normal',
      reason: `Template${ts.status ?? ''}`,
      message: ts.message ? `${message}: ${ts.message}` : message,
    });
  }
  return { status: ts, actions, events, ...(wakeAt !== undefined && { wakeAt }) };
}

function serviceFields(name: string, rs: ReplicaSet): Partial<ExperimentTemplateStatus> {
  const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
  return { serviceName: name, ...(hash !== undefined && { podTemplateHash: hash }) };
}
