/**
 * The RollingSync decision, pure: from the previous `status.applicationStatus`, the Applications as
 * they are and the ones generated now, Argo CD's progressive-sync passes in its order
 * (`UpdateApplicationSetApplicationStatus`, `getAppsToSync`, `UpdateApplicationSetApplicationStatusProgress`,
 * the `RolloutProgressing` and `InvalidRolloutConfig` conditions), and which Applications get a sync
 * operation now. Where Slipway goes further (docs/decisions/014-rolling-sync.md):
 * - an Application is Healthy for its step only when Synced, Healthy and no sync is running, and its
 *   health includes its Rollouts' (a canary still running or paused is Progressing or Suspended);
 * - Pending turns Progressing when a sync started at or after the Pending time (Argo: strictly after,
 *   which a same-second sync never is);
 * - a sync is written only when none is running and none started since Pending (never twice);
 * - a Pending or Progressing Application that turns Degraded, or whose sync failed, stops the
 *   rollout: `RolloutProgressing` False with reason `ApplicationSetRolloutError` names it and its step;
 * - Applications in no step are not counted in step 1's maxUpdate (Argo counts them there);
 * - a step's Application whose earlier steps track the same repository and revision but show other
 *   revisions waits for them (each Application resolves a new commit on its own: without this, a
 *   later region that sees the commit first would start while an earlier one still shows Healthy).
 */
import { canonicalJson } from '../../go/index.js';
import type { Application } from '../../sync/index.js';
import type {
  ApplicationSetApplicationStatus,
  ApplicationSetCondition,
  ApplicationSetStrategy,
  ProgressiveSyncStatusCode,
} from '../types.js';
import { assignSteps, hasIssues, issuesMessage, rollingSyncSteps, scaledMaxUpdate } from './steps.js';

export const RolloutReason = {
  Modified: 'ApplicationSetModified',
  Complete: 'ApplicationSetRolloutComplete',
  Error: 'ApplicationSetRolloutError',
  InvalidConfig: 'ApplicationSetInvalidRolloutConfig',
  ValidConfig: 'ApplicationSetValidRolloutConfig',
} as const;

export const ProgressMessage = {
  defaultWaiting: 'No Application status found, defaulting status to Waiting',
  revisionAndSpecChanged:
    'Application has pending changes (revision and spec differ), setting status to Waiting',
  revisionChanged: 'Application has pending changes, setting status to Waiting',
  specChanged: 'Application has pending changes (spec differs), setting status to Waiting',
  syncedHealthy: 'Application resource has synced, updating status to Healthy',
  syncedProgressing: 'Application resource has synced, updating status to Progressing',
  syncSucceeded:
    'Application resource completed a sync successfully, updating status from Pending to Progressing',
  syncCompleted: 'Application resource completed a sync, updating status from Pending to Progressing',
  syncStarted: 'Application resource became Progressing, updating status from Pending to Progressing',
  hasError: 'Application resource has error and cannot sync, updating status to Progressing',
  becameHealthy: 'Application resource became Healthy, updating status from Progressing to Healthy',
  pending: 'Application moved to Pending status, watching for the Application resource to start Progressing',
} as const;

type Incoming = Omit<ApplicationSetCondition, 'lastTransitionTime'>;

/** A generated Application as the planner needs it: name, labels, spec (normalised as written). */
export interface DesiredApplication {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: unknown;
}

export interface RollingSyncInput {
  readonly strategy: ApplicationSetStrategy | undefined;
  readonly previous: readonly ApplicationSetApplicationStatus[];
  /** Applications the ApplicationSet controls now, sorted by name. */
  readonly apps: readonly Application[];
  /** The generated, valid Applications. */
  readonly desired: readonly DesiredApplication[];
  /** Kubernetes time (whole seconds). */
  readonly now: string;
}

/** Why the rollout stopped: the first Pending/Progressing Application that is Degraded or failed to sync. */
export interface RolloutStop {
  readonly application: string;
  readonly step: string;
  readonly message: string;
}

export interface RollingSyncPlan {
  readonly applicationStatus: ApplicationSetApplicationStatus[];
  /** Applications to give a sync operation now, sorted by name. */
  readonly toSync: readonly string[];
  /** `InvalidRolloutConfig` and `RolloutProgressing`. */
  readonly conditions: readonly Incoming[];
  readonly stopped?: RolloutStop;
}

const time = (t: string | undefined) => (t === undefined ? Number.NaN : Date.parse(t));

/** Argo's `Status.GetRevisions()`. */
function revisionsOf(app: Application): string[] {
  const sync = app.status?.sync as { revision?: string; revisions?: string[] } | undefined;
  if (sync?.revisions !== undefined && sync.revisions.length > 0) return [...sync.revisions];
  return sync?.revision ? [sync.revision] : [];
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** No sync requested and none running. */
const isIdle = (app: Application) =>
  app.operation === undefined && app.status?.operationState?.phase !== 'Running';

/** A sync of this Application started at or after `since`. */
const startedSince = (app: Application, since: string | undefined) =>
  time(app.status?.operationState?.startedAt) >= time(since);

/**
 * Synced, by a comparison of the source and destination the ApplicationSet wants now (the generated
 * spec; else the live one) — not of an older spec the sync loop compared before a change.
 */
function isSyncedTo(app: Application, spec: unknown): boolean {
  const sync = app.status?.sync;
  if (sync?.status !== 'Synced') return false;
  const want = (spec ?? app.spec) as { source?: unknown; destination?: unknown };
  const compared = sync.comparedTo;
  return (
    canonicalJson(compared?.source ?? null) === canonicalJson(want.source ?? null) &&
    canonicalJson(compared?.destination ?? null) === canonicalJson(want.destination ?? null)
  );
}

const hasErrorCondition = (app: Application) =>
  (app.status?.conditions ?? []).some((c) => c.type === 'InvalidSpecError' || c.type === 'UnknownError');

/** Argo's `UpdateApplicationSetApplicationStatus` for one Application. */
function advance(
  app: Application,
  current: ApplicationSetApplicationStatus,
  step: string,
  desiredSpec: unknown,
  now: string,
): ApplicationSetApplicationStatus {
  const revisions = revisionsOf(app);
  const set = (status: ProgressiveSyncStatusCode, message: string) => {
    next = { ...next, status, message, lastTransitionTime: now };
  };
  let next: ApplicationSetApplicationStatus = { ...current, step };
  const revisionsChanged = !sameList(current.targetRevisions, revisions);
  const specChanged = desiredSpec !== undefined && canonicalJson(desiredSpec) !== canonicalJson(app.spec);
  if (revisionsChanged || specChanged) {
    next = { ...next, targetRevisions: revisions };
    set(
      'Waiting',
      revisionsChanged && specChanged
        ? ProgressMessage.revisionAndSpecChanged
        : revisionsChanged
          ? ProgressMessage.revisionChanged
          : ProgressMessage.specChanged,
    );
  }
  const synced = isSyncedTo(app, desiredSpec);
  const healthy = app.status?.health?.status === 'Healthy';
  if (next.status === 'Waiting') {
    if (synced && healthy && isIdle(app)) set('Healthy', ProgressMessage.syncedHealthy);
    else if (synced) set('Progressing', ProgressMessage.syncedProgressing);
    return next;
  }
  if (current.status === 'Pending') {
    const op = app.status?.operationState;
    if (op !== undefined && startedSince(app, current.lastTransitionTime)) {
      set(
        'Progressing',
        op.phase === 'Succeeded'
          ? ProgressMessage.syncSucceeded
          : op.phase === 'Failed' || op.phase === 'Error'
            ? ProgressMessage.syncCompleted
            : ProgressMessage.syncStarted,
      );
    } else if (hasErrorCondition(app)) set('Progressing', ProgressMessage.hasError);
  }
  if (current.status === 'Progressing' && synced && healthy && isIdle(app))
    set('Healthy', ProgressMessage.becameHealthy);
  return next;
}

/** Why a Pending/Progressing Application stops the rollout, if it does. */
function stopReason(app: Application, status: ApplicationSetApplicationStatus): string | undefined {
  if (status.status !== 'Pending' && status.status !== 'Progressing') return undefined;
  const health = app.status?.health;
  if (health?.status === 'Degraded')
    return `Application ${app.metadata.name} is Degraded${health.message ? `: ${health.message}` : ''}`;
  const op = app.status?.operationState;
  if (
    app.operation === undefined &&
    (op?.phase === 'Failed' || op?.phase === 'Error') &&
    startedSince(app, status.lastTransitionTime)
  )
    return `sync of Application ${app.metadata.name} failed${op.message ? `: ${op.message}` : ''}`;
  return undefined;
}

export function planRollingSync(input: RollingSyncInput): RollingSyncPlan {
  const { apps, now } = input;
  const steps = rollingSyncSteps(input.strategy);
  const assignment = assignSteps(
    steps,
    input.desired.map((d) => ({ name: d.name, labels: d.labels })),
  );
  const desiredSpec = new Map(input.desired.map((d) => [d.name, d.spec]));
  const previous = new Map(input.previous.map((s) => [s.application, s]));
  const stepLabel = (name: string) => {
    const s = assignment.stepOf.get(name);
    return s === undefined ? '-1' : String(s + 1);
  };

  // 1. each Application's status from what it shows now
  const byName = new Map<string, Application>();
  let statuses = apps.map((app) => {
    const name = app.metadata.name ?? '';
    byName.set(name, app);
    const current = previous.get(name) ?? {
      application: name,
      targetRevisions: revisionsOf(app),
      lastTransitionTime: now,
      message: ProgressMessage.defaultWaiting,
      status: 'Waiting' as const,
      step: stepLabel(name),
    };
    return advance(app, current, stepLabel(name), desiredSpec.get(name), now);
  });

  // 2. the steps open for syncing: up to and including the first one not yet all Healthy
  const statusOf = new Map(statuses.map((s) => [s.application, s]));
  const open = new Set<string>();
  for (const names of assignment.steps) {
    for (const n of names) open.add(n);
    if (!names.every((n) => byName.has(n) && statusOf.get(n)?.status === 'Healthy')) break;
  }

  // 3. Waiting → Pending within each step's maxUpdate
  const total = steps.map(() => 0);
  const updating = steps.map(() => 0);
  for (const s of statuses) {
    const i = assignment.stepOf.get(s.application);
    if (i === undefined) continue;
    total[i]! += 1;
    if (s.status === 'Pending' || s.status === 'Progressing') updating[i]! += 1;
  }
  // an Application whose earlier steps track the same source but show other revisions waits: they
  // have not seen the commit it has (each Application resolves its revision on its own)
  const sourceRef = (name: string) => {
    const src = byName.get(name)?.spec.source;
    return src === undefined ? '' : `${src.repoURL} ${src.targetRevision ?? 'HEAD'}`;
  };
  const aheadOfEarlierSteps = (s: ApplicationSetApplicationStatus, step: number) =>
    assignment.steps.slice(0, step).some((names) =>
      names.some((n) => {
        const earlier = statusOf.get(n);
        return (
          earlier !== undefined &&
          sourceRef(n) === sourceRef(s.application) &&
          !sameList(earlier.targetRevisions, s.targetRevisions)
        );
      }),
    );
  statuses = statuses.map((s) => {
    const i = assignment.stepOf.get(s.application);
    if (i === undefined || s.status !== 'Waiting' || !open.has(s.application)) return s;
    if (aheadOfEarlierSteps(s, i)) return s;
    const maxUpdate = steps[i]?.maxUpdate;
    if (maxUpdate !== undefined && updating[i]! >= (scaledMaxUpdate(maxUpdate, total[i]!) ?? 1)) return s;
    updating[i]! += 1;
    return { ...s, status: 'Pending', message: ProgressMessage.pending, lastTransitionTime: now };
  });

  // 4. a sync for each Pending Application that has none running and none since it became Pending
  const toSync = statuses
    .filter((s) => {
      const app = byName.get(s.application);
      return (
        s.status === 'Pending' &&
        app !== undefined &&
        app.operation === undefined &&
        !startedSince(app, s.lastTransitionTime)
      );
    })
    .map((s) => s.application)
    .sort();

  // 5. a Degraded or failed Application stops the rollout
  let stopped: RolloutStop | undefined;
  statuses = statuses.map((s) => {
    const app = byName.get(s.application);
    const why = app === undefined ? undefined : stopReason(app, s);
    if (why === undefined) return s;
    stopped ??= { application: s.application, step: s.step, message: why };
    const message = `${why}; the rollout is stopped at step ${s.step}`;
    return s.message === message ? s : { ...s, message, lastTransitionTime: now };
  });

  const invalid = hasIssues(assignment.issues);
  const conditions: Incoming[] = [
    invalid
      ? {
          type: 'InvalidRolloutConfig',
          status: 'True',
          reason: RolloutReason.InvalidConfig,
          message: issuesMessage(assignment.issues),
        }
      : {
          type: 'InvalidRolloutConfig',
          status: 'False',
          reason: RolloutReason.ValidConfig,
          message: 'Rolling Sync Configured correctly',
        },
    progressingCondition(statuses, steps.length, stopped),
  ];
  return { applicationStatus: statuses, toSync, conditions, ...(stopped && { stopped }) };
}

/** Argo's `getProgressingCondition`, and ours for a stopped rollout. */
function progressingCondition(
  statuses: readonly ApplicationSetApplicationStatus[],
  stepCount: number,
  stopped: RolloutStop | undefined,
): Incoming {
  if (stopped !== undefined)
    return {
      type: 'RolloutProgressing',
      status: 'False',
      reason: RolloutReason.Error,
      message: `ApplicationSet rollout stopped at step ${stopped.step}: ${stopped.message}`,
    };
  for (let i = 1; i <= stepCount; i++) {
    const inStep = statuses.filter((s) => s.step === String(i));
    if (inStep.length > 0 && inStep.some((s) => s.status !== 'Healthy'))
      return {
        type: 'RolloutProgressing',
        status: 'True',
        reason: RolloutReason.Modified,
        message: `ApplicationSet is performing rollout of step ${i}`,
      };
  }
  return {
    type: 'RolloutProgressing',
    status: 'False',
    reason: RolloutReason.Complete,
    message: 'ApplicationSet Rollout has completed',
  };
}
