/**
 * The ApplicationSet reconciler, in Argo CD's order: generate the Applications (pure, over the
 * generators' readers), check their names, create / update / delete as the `applicationsSync`
 * policy allows, then write the status once (conditions, health, `status.resources`). Bad input
 * ends the reconcile normally with ErrorOccurred, a Warning Event and one log line, and is looked
 * at again after 3 minutes (or at once when the ApplicationSet changes).
 */
import {
  type EventRecorder,
  forEachBounded,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  RetryAfterStatusError,
  type StatusWriter,
  toKubeTime,
} from '../core/index.js';
import {
  Index,
  isConflict,
  isNotFound,
  type KubeClient,
  type KubeObject,
  type Reflector,
} from '../kube/index.js';
import type { Application } from '../sync/index.js';
import { generateApplications, validateGeneratedApplications } from './generate.js';
import type { ClusterSecret, GitContentReader } from './generators/context.js';
import { requeueAfterMs } from './generators/registry.js';
import {
  type ApplicationAction,
  allowsDelete,
  allowsUpdate,
  isOwnedBy,
  planApplications,
  syncPolicyOf,
} from './plan.js';
import type { RollingSyncPlan } from './progressive/rolling-sync.js';
import { isRollingSync } from './progressive/steps.js';
import { releaseApplications } from './release.js';
import { NO_STEPS_MESSAGE, prepareRollingSync, reportStop, triggerSyncs } from './rolling-sync.js';
import { ApplicationSetReason, buildStatus, UP_TO_DATE_MESSAGE } from './status.js';
import type { ApplicationSet, ApplicationSetCondition } from './types.js';

/** Argo's ReconcileRequeueOnValidationError. */
export const REQUEUE_ON_ERROR_MS = 180_000;
export const APPLICATIONSETS_FIELD_MANAGER = 'slipway-applicationset';
/** Default bound on the parameter sets of one ApplicationSet. */
export const DEFAULT_MAX_PARAM_SETS = 10_000;

const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
/**
 * Applications written at once by one ApplicationSet reconcile. Argo CD writes them one by one; a
 * thousand-element generator then spends its time in round trips (~30 ms each on a local API server).
 */
const APPLICATION_WRITES_AT_ONCE = 8;

export interface ApplicationSetReconcilerOptions {
  readonly client: KubeClient;
  readonly appSets: Reflector<ApplicationSet>;
  readonly apps: Reflector<Application>;
  readonly clusterSecrets: Reflector<KubeObject & { data?: Record<string, string> }>;
  readonly git: GitContentReader;
  readonly events: EventRecorder;
  readonly written: StatusWriter;
  readonly maxParamSets?: number;
}

type Incoming = Omit<ApplicationSetCondition, 'lastTransitionTime'>;

const decode = (v: string | undefined) =>
  v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');

/** A cluster Secret as the clusters generator sees it (Argo reads `name`, `server`, `project`). */
export function clusterSecretOf(secret: KubeObject & { data?: Record<string, string> }): ClusterSecret {
  const project = decode(secret.data?.project);
  return {
    name: decode(secret.data?.name) ?? '',
    server: decode(secret.data?.server) ?? '',
    ...(project !== undefined && { project }),
    labels: { ...(secret.metadata.labels ?? {}) },
    annotations: { ...(secret.metadata.annotations ?? {}) },
  };
}

export class ApplicationSetReconciler implements Reconciler {
  constructor(private readonly options: ApplicationSetReconcilerOptions) {}

  async reconcile(ctx: ReconcileContext, request: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const { appSets, apps, clusterSecrets, written } = this.options;
    // a forbidden cluster-Secret watch (no RBAC in the Argo CD namespace) is reported by the manager;
    // the clusters generator then sees no Secrets rather than holding every ApplicationSet back
    const secretsReady = clusterSecrets.hasSynced || clusterSecrets.forbidden !== undefined;
    if (!appSets.hasSynced || !apps.hasSynced || !secretsReady) return { requeueAfterMs: 200 };
    const cached = appSets.store.get(request.key);
    if (cached === undefined) {
      written.forget('ApplicationSet', request.namespace, request.name);
      return undefined;
    }
    const appSet = written.fresher('ApplicationSet', cached) ?? cached;
    const name = appSet.metadata.name ?? '';
    const owned = () =>
      apps.store
        .byIndex(Index.Namespace, request.namespace)
        .filter((a) => isOwnedBy(a, name))
        .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
    if (appSet.metadata.deletionTimestamp !== undefined) {
      if (!allowsDelete(syncPolicyOf(appSet)))
        await releaseApplications(this.options.client, owned(), APPLICATIONSETS_FIELD_MANAGER);
      return undefined;
    }
    const now = ctx.clock.now();
    const outcome = await generateApplications(appSet, {
      appSetName: name,
      mode: {
        goTemplate: appSet.spec.goTemplate === true,
        goTemplateOptions: appSet.spec.goTemplateOptions ?? [],
        now: new Date(now),
      },
      clusterSecrets: () => clusterSecrets.store.list().map(clusterSecretOf),
      git: this.options.git,
      maxParamSets: this.options.maxParamSets ?? DEFAULT_MAX_PARAM_SETS,
    });
    if (!outcome.ok) {
      await this.finish(
        ctx,
        appSet,
        [{ type: 'ErrorOccurred', status: 'True', reason: outcome.reason, message: outcome.message }],
        false,
        undefined,
        now,
        outcome.code,
      );
      return { requeueAfterMs: REQUEUE_ON_ERROR_MS };
    }
    const validation = validateGeneratedApplications(name, outcome.apps);
    const valid = outcome.apps
      .filter((a) => !validation.has(`${a.metadata.namespace ?? ''}/${a.metadata.name}`))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    const conditions: Incoming[] = [];
    if (validation.size > 0) {
      const keys = [...validation.keys()].sort();
      let message = validation.get(keys.at(-1)!) ?? '';
      if (keys.length > 1) message = `${message} (and ${keys.length - 1} more)`;
      conditions.push({
        type: 'ErrorOccurred',
        status: 'True',
        reason: ApplicationSetReason.ApplicationValidationError,
        message,
      });
    }
    const current = owned();
    const rolling = prepareRollingSync(
      appSet,
      current.map((a) => written.fresher('Application', a) ?? a),
      valid,
      toKubeTime(now),
    );
    if (rolling.kind === 'no-steps') {
      const error = { reason: ApplicationSetReason.RolloutError, message: NO_STEPS_MESSAGE };
      await this.finish(
        ctx,
        appSet,
        [{ type: 'ErrorOccurred', status: 'True', ...error }],
        false,
        undefined,
        now,
        'APPSET_ROLLOUT_CONFIG',
      );
      return { requeueAfterMs: REQUEUE_ON_ERROR_MS };
    }
    const progress = rolling.kind === 'on' ? rolling.plan : undefined;
    conditions.push(...(progress?.conditions ?? []));
    const actions = planApplications({
      appSet,
      generated: outcome.apps,
      valid: rolling.kind === 'on' ? rolling.generated : valid,
      current,
      byName: (n) => {
        const a = apps.store.get(`${request.namespace}/${n}`);
        return a === undefined ? undefined : (written.fresher('Application', a) ?? a);
      },
    });
    const failure = await this.execute(ctx, appSet, actions);
    if (failure !== undefined) {
      await this.finish(
        ctx,
        appSet,
        [{ type: 'ErrorOccurred', status: 'True', ...failure }, ...(progress?.conditions ?? [])],
        true,
        undefined,
        now,
        'APPSET_APPLY',
        progress,
      );
      throw new RetryAfterStatusError(new Error(failure.message));
    }
    if (rolling.kind === 'on') {
      await triggerSyncs(
        ctx,
        { ...this.options, fieldManager: APPLICATIONSETS_FIELD_MANAGER },
        appSet,
        rolling.plan,
        valid,
      );
      reportStop(ctx, this.options.events, appSet, rolling.plan);
    }
    const after = owned().map((a) => written.fresher('Application', a) ?? a);
    if (validation.size === 0)
      conditions.push({
        type: 'ResourcesUpToDate',
        status: 'True',
        reason: ApplicationSetReason.ApplicationSetUpToDate,
        message: UP_TO_DATE_MESSAGE,
      });
    await this.finish(ctx, appSet, conditions, true, after, now, 'APPSET_VALIDATION', progress);
    let requeue = 0;
    for (const g of appSet.spec.generators ?? []) {
      const t = requeueAfterMs(g);
      if (t > 0 && (requeue === 0 || t < requeue)) requeue = t;
    }
    if (validation.size > 0 && requeue === 0) requeue = REQUEUE_ON_ERROR_MS;
    return requeue > 0 ? { requeueAfterMs: requeue } : undefined;
  }

  /** Runs the actions; the first failure by Application name, as Argo reports it. */
  private async execute(
    ctx: ReconcileContext,
    appSet: ApplicationSet,
    actions: readonly ApplicationAction[],
  ): Promise<{ reason: string; message: string } | undefined> {
    const { client, events, written } = this.options;
    const failures = new Map<string, { reason: string; message: string }>();
    const write = { fieldManager: APPLICATIONSETS_FIELD_MANAGER };
    await forEachBounded(actions, APPLICATION_WRITES_AT_ONCE, async (action) => {
      const appName = action.type === 'refuse' ? action.name : (action.app.metadata.name ?? '');
      try {
        switch (action.type) {
          case 'refuse':
            throw new Error(action.message);
          case 'create': {
            const created = await client.create<Application>(action.app, write);
            written.remember(created);
            events.normal(appSet, 'created', `created Application ${JSON.stringify(appName)}`);
            ctx.logger.info({ application: appName }, 'created Application');
            break;
          }
          case 'update': {
            const updated = await client.replace<Application>(action.app, write);
            written.remember(updated, action.app);
            events.normal(appSet, 'updated', `updated Application ${JSON.stringify(appName)}`);
            ctx.logger.info({ application: appName }, 'updated Application');
            break;
          }
          case 'delete':
            await client.delete({ ...APP, namespace: action.app.metadata.namespace ?? '', name: appName });
            events.normal(appSet, 'Deleted', `Deleted Application ${JSON.stringify(appName)}`);
            ctx.logger.info({ application: appName }, 'deleted Application');
            break;
        }
      } catch (err) {
        if (action.type === 'delete' && isNotFound(err)) return;
        const message = err instanceof Error ? err.message : String(err);
        const phase =
          action.type === 'delete' ? 'delete' : allowsUpdate(syncPolicyOf(appSet)) ? 'update' : 'create';
        const reason =
          phase === 'delete'
            ? ApplicationSetReason.DeleteApplicationError
            : phase === 'update'
              ? ApplicationSetReason.UpdateApplicationError
              : ApplicationSetReason.CreateApplicationError;
        if (isConflict(err))
          ctx.logger.debug({ application: appName }, 'application changed while writing it; retrying');
        else ctx.logger.warn({ application: appName, err }, `failed to ${phase} Application`);
        failures.set(appName, { reason, message });
      }
    });
    const first = [...failures.keys()].sort()[0];
    return first === undefined ? undefined : failures.get(first);
  }

  /** Writes the status once; a new error condition also gets a Warning Event and one log line. */
  private async finish(
    ctx: ReconcileContext,
    appSet: ApplicationSet,
    conditions: readonly Incoming[],
    parametersGenerated: boolean,
    apps: readonly Application[] | undefined,
    now: number,
    code: string,
    progress?: RollingSyncPlan,
  ): Promise<void> {
    const status = buildStatus(appSet.status, conditions, parametersGenerated, apps, toKubeTime(now), {
      rollingSync: isRollingSync(appSet.spec.strategy),
      ...(progress !== undefined && { applicationStatus: progress.applicationStatus }),
    });
    const error = conditions.find((c) => c.type === 'ErrorOccurred' && c.status === 'True');
    const before = appSet.status?.conditions?.find((c) => c.type === 'ErrorOccurred' && c.status === 'True');
    if (error !== undefined && (before?.message !== error.message || before.reason !== error.reason)) {
      this.options.events.warning(appSet, error.reason, error.message);
      ctx.logger.warn(
        {
          applicationSet: `${appSet.metadata.namespace}/${appSet.metadata.name}`,
          code,
          reason: error.reason,
          message: error.message,
        },
        'applicationset cannot generate its applications',
      );
    }
    try {
      await this.options.written.writeStatus({
        current: appSet,
        status,
        write: (next) =>
          this.options.client.replace<ApplicationSet>(next, {
            fieldManager: APPLICATIONSETS_FIELD_MANAGER,
            subresource: 'status',
          }),
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
