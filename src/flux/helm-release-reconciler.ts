import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  type EventRecorder,
  findCondition,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  type StatusWriter,
  toKubeTime,
} from '../core/index.js';
import { isNotFound, type KubeClient, type KubeObject, type Reflector } from '../kube/index.js';
import {
  parseManifests,
  type RenderLimits,
  type ResourceManager,
  renderSource,
  scratchRoot,
} from '../sync/index.js';
import { applyObjects, objectRef, prepareOwnedObjects, pruneStale } from './apply.js';
import type { ChartStore } from './chart-store.js';
import { FluxConditionType, FluxReason } from './conditions.js';
import { currentFluxObject } from './current-object.js';
import { type CheckedObject, decideHealth } from './health-check.js';
import {
  helmChartRef,
  helmReleaseOwner,
  OWNER_LABELS,
  type ReleaseChartDeps,
  releaseNameOf,
  resolveReleaseChart,
} from './helm-release-chart.js';
import { checkReleaseDrift, type DriftCheck } from './helm-release-drift.js';
import type { DesiredRelease } from './helm-release-plan.js';
import { postRender, postRenderersChanged } from './helm-release-post-render.js';
import { HelmConditionType, HelmReason, HelmReleaseStatusDraft } from './helm-release-status.js';
import { runReleaseTests } from './helm-release-test.js';
import { awaitTests, decideReleaseStep, summarizeTests } from './helm-release-test-status.js';
import { composeValues, configDigest } from './helm-release-values.js';
import { splitTestHooks, withoutTestHooks } from './helm-test-hooks.js';
import {
  HELM_CHART_GVK,
  HELM_RELEASE_GVK,
  type HelmChart,
  type HelmRelease,
  type Snapshot,
} from './helm-types.js';
import type { Values } from './helm-values.js';
import { type Actor, actorFor, serviceAccountExists } from './impersonation.js';
import { durationMs, formatDurationMs, jittered } from './intervals.js';
import { inventoryApiVersion, inventoryEntry, parseInventoryEntry } from './inventory.js';
import { type ReleaseStorage, type StoredHook, storedRelease } from './release-storage.js';
import {
  FLUX_FIELD_MANAGER,
  FLUX_FINALIZER,
  withFluxFinalizer,
  withoutFluxFinalizer,
  writeFluxStatus,
} from './status-write.js';
import type { ResourceRef } from './types.js';

export interface HelmReleaseReconcilerDeps extends ReleaseChartDeps {
  readonly client: KubeClient;
  readonly releases: Reflector<HelmRelease>;
  readonly charts: Reflector<HelmChart>;
  readonly store: ChartStore;
  readonly storage: ReleaseStorage;
  readonly rm: ResourceManager;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
  /** Asks the HelmChart controller to run a chart again (its artifact left this process). */
  readonly refreshChart: (key: string) => void;
  readonly dependencyRequeueMs: number;
  readonly healthPollMs: number;
  readonly renderLimits?: RenderLimits;
  /** The ServiceAccount of HelmReleases without `serviceAccountName` (helm-controller's --default-service-account). */
  readonly defaultServiceAccount?: string;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The HelmRelease reconciler, helm-controller's steps on the sync engine: dependencies → the
 * HelmChart (created from `chart.spec`) and its artifact → values (valuesFrom, values) → the
 * release action `decideRelease` picks (install, upgrade, wait for health, uninstall or roll back a
 * failure, stop when out of retries) → `helm template` of the chart, server-side apply, prune from
 * the inventory → history, conditions and release storage (Helm's Secrets) written once.
 */
export class HelmReleaseReconciler implements Reconciler {
  constructor(private readonly d: HelmReleaseReconcilerDeps) {}

  /** Who applies, prunes, tests and reads the release's objects: the controller or the ServiceAccount. */
  private actor(hr: HelmRelease): Actor {
    return actorFor(this.d.client, this.d.rm, hr, this.d.defaultServiceAccount);
  }

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.releases, this.d.writer, 'HelmRelease', req);
    if (current.state === 'gone') return undefined;
    if (current.state !== 'active')
      return current.state === 'deleting' ? this.finalize(current.obj) : undefined;
    const hr = await withFluxFinalizer(
      this.d.client,
      this.d.writer,
      HELM_RELEASE_GVK,
      current.obj,
      current.cached,
    );
    const nowMs = ctx.clock.now();
    const now = toKubeTime(nowMs);
    const draft = new HelmReleaseStatusDraft(hr, now);
    const intervalMs = durationMs(hr.spec.interval, 600_000);
    const timeoutMs = durationMs(hr.spec.timeout, 300_000);
    const write = async (requeueAfterMs: number): Promise<ReconcileResult> => {
      await writeFluxStatus(this.d.client, this.d.writer, hr, draft.build());
      return { requeueAfterMs };
    };
    const notReady = async (reason: string, message: string, requeueMs: number) => {
      const previous = draft.condition(FluxConditionType.Ready);
      draft.notReady(reason, message);
      if (previous?.message !== message) {
        ctx.logger.warn({ reason }, 'helm release not ready');
        this.d.events.warning(hr, reason, message);
      }
      return write(requeueMs);
    };
    const ns = hr.metadata.namespace ?? '';

    // 1. dependencies
    for (const dep of hr.spec.dependsOn ?? []) {
      const depNs = dep.namespace || ns;
      const d = this.d.releases.store.get(`${depNs}/${dep.name}`);
      const ready = findCondition(d?.status?.conditions, FluxConditionType.Ready);
      if (!d || d.status?.observedGeneration !== d.metadata.generation || ready?.status !== 'True')
        return notReady(
          FluxReason.DependencyNotReady,
          `dependency '${depNs}/${dep.name}' is not ready`,
          this.d.dependencyRequeueMs,
        );
    }

    // 2. the chart
    const chart = await resolveReleaseChart(this.d, hr, intervalMs);
    if (chart.helmChart !== undefined) draft.helmChart(chart.helmChart);
    if (chart.kind === 'not-ready') return notReady(chart.reason, chart.message, chart.requeueMs);
    const chartDir = chart.dir;

    // 3. values
    let values: Values;
    try {
      values = await composeValues(this.d.client, hr);
    } catch (err) {
      return notReady('ValuesError', errorText(err), intervalMs);
    }
    const desired: DesiredRelease = {
      chartName: chart.chartName,
      chartVersion: chart.chartVersion,
      configDigest: configDigest(values),
      postRenderersChanged: postRenderersChanged(hr),
      ...(chart.ociDigest !== undefined && { ociDigest: chart.ociDigest }),
    };
    draft.attempt(hr.metadata.generation ?? 0, desired);

    // 4. the release action
    const action = decideReleaseStep(
      hr.spec,
      draft.history(),
      desired,
      draft.failureCounts(),
      hr.status?.lastAttemptedReleaseAction,
    );
    const releaseName = releaseNameOf(hr);
    const releaseNs = hr.spec.targetNamespace || ns;
    ctx.logger.debug({ action: action.kind }, 'helm release action');
    switch (action.kind) {
      case 'stalled': {
        draft.stalled(action.action, action.attempts);
        return write(intervalMs);
      }
      case 'in-sync': {
        let drift: DriftCheck;
        try {
          const stored = await this.d.storage.get(releaseNs, releaseName, action.release.version);
          const objects = withoutTestHooks(
            stored
              ? parseManifests(stored.manifest, 'release')
              : await this.render(hr, chartDir, values, releaseName, releaseNs),
          );
          const actor = this.actor(hr);
          const prepared = await prepareOwnedObjects(actor.client, helmReleaseOwner(hr, releaseNs), objects);
          draft.inventoryEntries(prepared.map(inventoryEntry));
          drift = await checkReleaseDrift(
            { ...this.d, client: actor.client, rm: actor.rm, logger: ctx.logger },
            hr,
            draft,
            prepared,
            action.release,
          );
        } catch (err) {
          return notReady(FluxReason.ReconciliationFailed, errorText(err), Math.min(intervalMs, 60_000));
        }
        if (drift.kind === 'failed')
          return notReady(HelmReason.StateError, drift.message, Math.min(intervalMs, 60_000));
        draft.inSync();
        summarizeTests(draft, hr.spec);
        const failed = drift.kind === 'drifted' && drift.corrected === 'failed';
        return write(jittered(failed ? Math.min(intervalMs, 30_000) : intervalMs, Math.random()));
      }
      case 'test': {
        const requeueMs = await runReleaseTests({
          client: this.actor(hr).client,
          storage: this.d.storage,
          events: this.d.events,
          logger: ctx.logger,
          hr,
          draft,
          release: action.release,
          owner: helmReleaseOwner(hr, releaseNs),
          nowMs,
          timeoutMs: durationMs(hr.spec.test?.timeout, timeoutMs),
          pollMs: this.d.healthPollMs,
          doneRequeueMs: jittered(intervalMs, Math.random()),
        });
        return write(requeueMs);
      }
      case 'install':
      case 'upgrade': {
        const isInstall = action.kind === 'install';
        draft.drop(HelmConditionType.TestSuccess);
        const version = draft.nextVersion();
        const base = {
          name: releaseName,
          namespace: releaseNs,
          version,
          chartName: desired.chartName,
          chartVersion: desired.chartVersion,
          configDigest: desired.configDigest,
        };
        let manifest = '';
        let tests: StoredHook[] = [];
        try {
          const rendered = splitTestHooks(await this.render(hr, chartDir, values, releaseName, releaseNs));
          const objects = rendered.objects;
          tests = rendered.tests;
          manifest = objects.map((o) => stringify(o)).join('---\n');
          if (isInstall && hr.spec.install?.createNamespace) await this.createNamespace(hr, releaseNs);
          draft.inventoryEntries(await this.applyRelease(hr, objects, releaseNs, true));
        } catch (err) {
          const snap = draft.released(base, action.kind, 'failed', now);
          await this.d.storage.save(
            storedRelease(
              snap,
              values,
              manifest,
              `${action.kind === 'install' ? 'Install' : 'Upgrade'} failed: ${errorText(err)}`,
            ),
          );
          draft.failed(action.kind, releaseNs, releaseName, errorText(err));
          ctx.logger.warn({ action: action.kind, err }, 'helm release action failed');
          this.d.events.warning(
            hr,
            isInstall ? HelmReason.InstallFailed : HelmReason.UpgradeFailed,
            draft.readyMessage(),
          );
          return write(2_000);
        }
        const wait = !(isInstall ? hr.spec.install?.disableWait : hr.spec.upgrade?.disableWait);
        const snap = draft.released(base, action.kind, wait ? `pending-${action.kind}` : 'deployed', now);
        await this.d.storage.save(
          storedRelease(
            snap,
            values,
            manifest,
            wait
              ? `${isInstall ? 'Initial install' : 'Upgrade'} underway`
              : `${isInstall ? 'Install' : 'Upgrade'} complete`,
            tests,
          ),
        );
        if (!wait) {
          await this.supersede(draft, snap);
          draft.succeeded(action.kind);
          this.d.events.normal(
            hr,
            isInstall ? HelmReason.InstallSucceeded : HelmReason.UpgradeSucceeded,
            draft.readyMessage(),
          );
          return write(awaitTests(draft, hr.spec) ? 1_000 : jittered(intervalMs, Math.random()));
        }
        draft.progressing(`Running '${action.kind}' action with timeout of ${formatDurationMs(timeoutMs)}`);
        return write(this.d.healthPollMs);
      }
      case 'wait': {
        const rel = action.release;
        const kind = rel.status === 'pending-install' ? 'install' : 'upgrade';
        const checks: CheckedObject[] = [];
        for (const e of draft.inventory()) {
          const o = parseInventoryEntry(e);
          if (!o) continue;
          const ref = {
            apiVersion: inventoryApiVersion(o),
            kind: o.kind,
            metadata: { name: o.name, ...(o.namespace && { namespace: o.namespace }) },
          };
          checks.push({ ref: objectRef(ref), live: await this.actor(hr).client.getIfExists(ref) });
        }
        const decision = decideHealth(checks, nowMs - Date.parse(rel.lastDeployed), timeoutMs);
        if (decision.kind === 'waiting') return write(this.d.healthPollMs);
        const stored = await this.d.storage.get(rel.namespace, rel.name, rel.version);
        if (decision.kind === 'failed') {
          const snap = draft.finish(rel, 'failed');
          await this.d.storage.save(
            storedRelease(
              snap,
              stored?.config ?? values,
              stored?.manifest ?? '',
              `${kind === 'install' ? 'Install' : 'Upgrade'} failed: ${decision.message}`,
            ),
          );
          draft.failed(kind, releaseNs, releaseName, decision.message);
          ctx.logger.warn({ action: kind }, 'helm release failed its health check');
          this.d.events.warning(
            hr,
            kind === 'install' ? HelmReason.InstallFailed : HelmReason.UpgradeFailed,
            draft.readyMessage(),
          );
          return write(2_000);
        }
        const snap = draft.finish(rel, 'deployed');
        await this.d.storage.save(
          storedRelease(
            snap,
            stored?.config ?? values,
            stored?.manifest ?? '',
            `${kind === 'install' ? 'Install' : 'Upgrade'} complete`,
            stored?.hooks,
          ),
        );
        await this.supersede(draft, snap);
        draft.succeeded(kind);
        ctx.logger.info({ version: rel.version, action: kind }, 'helm release succeeded');
        this.d.events.normal(
          hr,
          kind === 'install' ? HelmReason.InstallSucceeded : HelmReason.UpgradeSucceeded,
          draft.readyMessage(),
        );
        return write(awaitTests(draft, hr.spec) ? 1_000 : jittered(intervalMs, Math.random()));
      }
      case 'uninstall': {
        try {
          const actor = this.actor(hr);
          await pruneStale(actor.client, actor.rm, hr, draft.inventory(), [], OWNER_LABELS);
        } catch (err) {
          return notReady(HelmReason.UninstallFailed, errorText(err), 5_000);
        }
        const snap = draft.finish(action.failed, 'uninstalled');
        const stored = await this.d.storage.get(snap.namespace, snap.name, snap.version);
        await this.d.storage.save(
          storedRelease(snap, stored?.config ?? {}, stored?.manifest ?? '', 'Uninstallation complete'),
        );
        draft.inventoryEntries([]);
        draft.remediated(
          HelmReason.UninstallSucceeded,
          `Helm uninstall for release ${snap.namespace}/${snap.name}.v${snap.version} with chart ${snap.chartName}@${snap.chartVersion} succeeded`,
        );
        this.d.events.normal(hr, HelmReason.UninstallSucceeded, draft.readyMessage());
        return write(1_000);
      }
      case 'rollback': {
        const to = action.to;
        const target = `${to.namespace}/${to.name}.v${to.version}`;
        const chartText = `${to.chartName}@${to.chartVersion}`;
        try {
          const stored = await this.d.storage.get(to.namespace, to.name, to.version);
          if (!stored) throw new Error(`release ${target} is not in storage`);
          draft.inventoryEntries(
            await this.applyRelease(
              hr,
              withoutTestHooks(parseManifests(stored.manifest, 'release')),
              releaseNs,
              true,
            ),
          );
          await this.d.storage.save(
            storedRelease(
              draft.finish(action.failed, 'failed'),
              stored.config,
              stored.manifest,
              'Upgrade failed',
            ),
          );
          const snap = draft.released({ ...to, version: draft.nextVersion() }, 'rollback', 'deployed', now);
          await this.d.storage.save(
            storedRelease(
              snap,
              stored.config,
              stored.manifest,
              `Rollback to ${to.version}`,
              stored.hooks?.map(({ lastRun: _run, ...h }) => h),
            ),
          );
          await this.supersede(draft, snap);
        } catch (err) {
          draft.remediated(
            HelmReason.RollbackFailed,
            `Helm rollback to previous release ${target} with chart ${chartText} failed: ${errorText(err)}`,
            'False',
          );
          this.d.events.warning(hr, HelmReason.RollbackFailed, draft.readyMessage());
          return write(5_000);
        }
        draft.remediated(
          HelmReason.RollbackSucceeded,
          `Helm rollback to previous release ${target} with chart ${chartText} succeeded`,
        );
        this.d.events.normal(hr, HelmReason.RollbackSucceeded, draft.readyMessage());
        return write(1_000);
      }
    }
  }

  private async render(
    hr: HelmRelease,
    chartDir: string,
    values: Values,
    releaseName: string,
    releaseNs: string,
  ): Promise<KubeObject[]> {
    const scratch = await mkdtemp(join(scratchRoot(), 'slipway-helmrelease-'));
    try {
      const rendered = await renderSource({
        checkoutDir: chartDir,
        source: { repoURL: '', path: '.', helm: { releaseName, namespace: releaseNs, valuesObject: values } },
        appName: hr.metadata.name ?? '',
        namespace: releaseNs,
        helmHome: join(scratch, 'helm'),
        ...(this.d.renderLimits && { limits: this.d.renderLimits }),
      });
      return await postRender(rendered.objects, hr.spec.postRenderers, this.d.renderLimits);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private async createNamespace(hr: HelmRelease, name: string): Promise<void> {
    const { client } = this.actor(hr);
    if (await client.getIfExists({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })) return;
    await client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      { fieldManager: FLUX_FIELD_MANAGER },
    );
  }

  /** Applies the release's objects with Helm's and Flux's marks; with `prune`, deletes what left the release. */
  private async applyRelease(
    hr: HelmRelease,
    objects: readonly KubeObject[],
    releaseNs: string,
    prune: boolean,
  ): Promise<ResourceRef[]> {
    const draftEntries = hr.status?.inventory?.entries;
    const actor = this.actor(hr);
    const prepared = await prepareOwnedObjects(actor.client, helmReleaseOwner(hr, releaseNs), objects);
    const outcome = await applyObjects(actor.client, actor.rm, { spec: {} }, prepared);
    if (prune) await pruneStale(actor.client, actor.rm, hr, draftEntries, outcome.entries, OWNER_LABELS);
    return prepared.map(inventoryEntry);
  }

  private async supersede(draft: HelmReleaseStatusDraft, latest: Snapshot): Promise<void> {
    for (const s of draft.supersedeOlder(latest.version)) {
      const stored = await this.d.storage.get(s.namespace, s.name, s.version);
      if (stored) await this.d.storage.save({ ...stored, status: 'superseded' });
    }
  }

  /** Deletion: uninstall (prune the inventory, drop the release Secrets), then release the finalizer. */
  private async finalize(hr: HelmRelease): Promise<ReconcileResult | undefined> {
    const finalizers = hr.metadata.finalizers ?? [];
    if (!finalizers.includes(FLUX_FINALIZER)) return undefined;
    const actor = this.actor(hr);
    // helm-controller skips the uninstall when the ServiceAccount is gone (its namespace terminating)
    const canUninstall =
      actor.serviceAccount === undefined ||
      (await serviceAccountExists(this.d.client, hr.metadata.namespace ?? '', actor.serviceAccount));
    if (!hr.spec.suspend && canUninstall) {
      await pruneStale(actor.client, actor.rm, hr, hr.status?.inventory?.entries, [], OWNER_LABELS);
      for (const s of hr.status?.history ?? []) await this.d.storage.delete(s.namespace, s.name, s.version);
      const ref = helmChartRef(hr);
      if (ref && hr.spec.chart)
        await this.d.client.delete({ ...HELM_CHART_GVK, ...ref }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
    }
    await withoutFluxFinalizer(this.d.client, HELM_RELEASE_GVK, hr);
    return undefined;
  }
}
