import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installFluxCrds } from '../../src/dev/flux-crds/index.js';
import {
  HELM_RELEASE_GVK,
  HELM_REPOSITORY_GVK,
  type HelmRelease,
  IMAGE_POLICY_GVK,
  IMAGE_REPOSITORY_GVK,
  type ImagePolicy,
  type Kustomization,
  OCI_REPOSITORY_GVK,
} from '../../src/flux/index.js';
import { installCrds } from '../../src/install/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../src/kube/index.js';
import { ShippedControllerProcess } from '../support/fixtures/shipped-controller-process.js';
import { ChartRepoServer, type TestChart } from '../support/flux/chart-repo-server.js';
import { condition, getKustomization, gitRepository, kustomization } from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { OciRegistry } from '../support/flux/oci-registry.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// The Flux controllers as they ship (`slipway controller --controllers flux`), stopped with SIGTERM
// and SIGKILL right after Git moves: after every restart each Kustomization must apply the new
// commit, prune what left Git, heal drift made while it was down, and keep a consistent inventory; a
// HelmRelease whose chart repository publishes a new version each round must upgrade to it once (one
// deployed release, history versions without gaps or repeats) and prune what left the chart; an
// ImagePolicy over the registry's tags must resolve each round's new tag (its tag memory emptied by
// every restart).

const APPS = ['app-0', 'app-1', 'app-2'];
const cm = (name: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: ${JSON.stringify(data)}\n`;

/** Chart version 1.<r>.0: a settings ConfigMap saying the round and one ConfigMap named after it. */
function chartRound(r: number): TestChart {
  return {
    name: 'web',
    version: `1.${r}.0`,
    files: {
      'templates/settings.yaml': cm('helm-settings', { round: String(r) }),
      'templates/extra.yaml': cm(`helm-extra-${r}`, { round: String(r) }),
    },
  };
}

function layout(r: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (const app of APPS) {
    files[`${app}/settings.yaml`] = cm(`${app}-settings`, { round: String(r) });
    files[`${app}/extra.yaml`] = cm(`${app}-extra-${r}`, { round: String(r) });
  }
  return files;
}

describe('flux: the controller restarted (SIGTERM and SIGKILL) while Git moves', { timeout: 900_000 }, () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let server: GitHttpServer;
  let charts: ChartRepoServer;
  // an OCIRepository + Kustomization too when docker-registry is installed
  let registry: OciRegistry | undefined;
  const ociDigests = new Map<number, string>();
  const pushRound = async (r: number) => {
    if (registry)
      ociDigests.set(
        r,
        await registry.pushArtifact('apps/oci', `1.${r}.0`, {
          'settings.yaml': cm('oci-settings', { round: String(r) }),
        }),
      );
  };
  let syncDir: string;
  let controller: ShippedControllerProcess | undefined;

  before(async () => {
    client = testClient();
    await installCrds(client);
    await installFluxCrds(client);
    ns = await testNamespace(client, 'flux-restart');
    repo = TestRepo.create(layout(0));
    server = await GitHttpServer.start(repo);
    syncDir = mkdtempSync(join(tmpdir(), 'slipway-flux-restart-'));
    charts = await ChartRepoServer.start([chartRound(0)]);
    if (OciRegistry.available()) {
      registry = await OciRegistry.start();
      await pushRound(0);
      await client.create({
        ...OCI_REPOSITORY_GVK,
        metadata: { name: 'oci', namespace: ns.name },
        spec: {
          interval: '1s',
          url: `oci://${registry.host}/apps/oci`,
          insecure: true,
          ref: { semver: '1.x' },
        },
      } as KubeObject);
      await client.create(
        kustomization(ns.name, 'oci-app', {
          sourceRef: { kind: 'OCIRepository', name: 'oci' },
          interval: '2s',
          prune: true,
          targetNamespace: ns.name,
        }),
      );
      // the same registry repository scanned for image tags, a policy following the newest 1.x
      await client.create({
        ...IMAGE_REPOSITORY_GVK,
        metadata: { name: 'images', namespace: ns.name },
        spec: { interval: '1s', image: `${registry.host}/apps/oci`, insecure: true },
      } as KubeObject);
      await client.create({
        ...IMAGE_POLICY_GVK,
        metadata: { name: 'images', namespace: ns.name },
        spec: { imageRepositoryRef: { name: 'images' }, policy: { semver: { range: '1.x' } } },
      } as KubeObject);
    }
    await client.create({
      ...HELM_REPOSITORY_GVK,
      metadata: { name: 'charts', namespace: ns.name },
      spec: { interval: '1s', url: charts.url },
    } as KubeObject);
    await client.create({
      ...HELM_RELEASE_GVK,
      metadata: { name: 'web', namespace: ns.name },
      spec: {
        interval: '2s',
        timeout: '1m',
        chart: {
          spec: { chart: 'web', version: '1.x', sourceRef: { kind: 'HelmRepository', name: 'charts' } },
        },
      },
    } as KubeObject);
    await client.create(
      gitRepository(ns.name, 'repo', { interval: '1s', url: server.url, ref: { branch: 'main' } }),
    );
    for (const app of APPS) {
      await client.create(
        kustomization(ns.name, app, {
          sourceRef: { kind: 'GitRepository', name: 'repo' },
          path: `./${app}`,
          interval: '2s',
          prune: true,
          wait: true,
          timeout: '1m',
          targetNamespace: ns.name,
        }),
      );
    }
  });
  after(async () => {
    for (const p of ShippedControllerProcess.all) await p.stop('SIGKILL');
    await ns?.delete();
    await server?.close();
    await charts?.close();
    await registry?.stop();
    repo?.dispose();
    rmSync(syncDir, { recursive: true, force: true });
    client?.close();
  });

  const getCm = async (name: string) => {
    try {
      return await client.get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: ns.name,
        name,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const start = async () => {
    controller = await ShippedControllerProcess.start('flux', ns.name, {
      ...process.env,
      SLIPWAY_SYNC_DIR: syncDir,
    });
  };
  const waitSettled = async (round: number) => {
    const revision = `main@sha1:${repo.head()}`;
    const last = new Map<string, unknown>();
    try {
      await eventually(
        `round ${round} applied everywhere`,
        async () => {
          for (const app of APPS) {
            const k: Kustomization = await getKustomization(client, ns.name, app);
            last.set(app, k.status);
            if (condition(k, 'Ready')?.status !== 'True' || k.status?.lastAppliedRevision !== revision)
              return false;
            const ids = (k.status.inventory?.entries ?? []).map((e) => e.id).sort();
            assert.deepEqual(ids, [
              `${ns.name}_${app}-extra-${round}__ConfigMap`,
              `${ns.name}_${app}-settings__ConfigMap`,
            ]);
            if ((await getCm(`${app}-settings`))?.data?.round !== String(round)) return false;
            if (round > 0 && (await getCm(`${app}-extra-${round - 1}`)) !== undefined) return false;
            if ((await getCm(`${app}-extra-${round}`)) === undefined) return false;
          }
          const hr = await client.get<HelmRelease>({ ...HELM_RELEASE_GVK, namespace: ns.name, name: 'web' });
          last.set('helmrelease', hr.status);
          const history = hr.status?.history ?? [];
          if (condition(hr, 'Ready')?.status !== 'True' || history[0]?.chartVersion !== `1.${round}.0`)
            return false;
          // one deployed release, versions counting down without repeats
          assert.equal(history.filter((s) => s.status === 'deployed').length, 1);
          const versions = history.map((s) => s.version);
          assert.deepEqual(
            versions,
            [...new Set(versions)].sort((a, b) => b - a),
          );
          assert.deepEqual((hr.status?.inventory?.entries ?? []).map((e) => e.id).sort(), [
            `${ns.name}_helm-extra-${round}__ConfigMap`,
            `${ns.name}_helm-settings__ConfigMap`,
          ]);
          if ((await getCm('helm-settings'))?.data?.round !== String(round)) return false;
          if (round > 0 && (await getCm(`helm-extra-${round - 1}`)) !== undefined) return false;
          if (registry) {
            const k: Kustomization = await getKustomization(client, ns.name, 'oci-app');
            last.set('oci-app', k.status);
            if (k.status?.lastAppliedRevision !== `1.${round}.0@${ociDigests.get(round)}`) return false;
            if ((await getCm('oci-settings'))?.data?.round !== String(round)) return false;
            const p = await client.get<ImagePolicy>({
              ...IMAGE_POLICY_GVK,
              namespace: ns.name,
              name: 'images',
            });
            last.set('imagepolicy', p.status);
            if (condition(p, 'Ready')?.status !== 'True' || p.status?.latestRef?.tag !== `1.${round}.0`)
              return false;
            // the policy moved once per round: its previous ref is the last round's tag
            if (round > 0) assert.equal(p.status?.observedPreviousRef?.tag, `1.${round - 1}.0`);
          }
          return true;
        },
        120_000,
        250,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(Object.fromEntries(last))}`);
    }
  };

  it('applies the first commit', async () => {
    await start();
    await waitSettled(0);
  });

  for (const [round, signal] of [
    [1, 'SIGTERM'],
    [2, 'SIGKILL'],
    [3, 'SIGKILL'],
    [4, 'SIGTERM'],
  ] as const) {
    it(`round ${round}: stopped with ${signal} right after a commit, carries on after the restart`, async () => {
      repo.write(layout(round));
      server.commit(`round ${round}`);
      charts.add(chartRound(round));
      await pushRound(round);
      // let it start working on the commit, then stop it mid-way
      await new Promise((r) => setTimeout(r, 400 + round * 300));
      await controller?.stop(signal);
      // drift made while it is down is healed after the restart
      if (round > 1) {
        await client.patch(
          { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name, name: 'app-0-settings' },
          { data: { round: 'edited-by-hand' } },
          { type: 'merge', fieldManager: 'kubectl-edit' },
        );
      }
      await start();
      await waitSettled(round);
    });
  }

  it('leaves no finalizer-blocked object behind when a Kustomization is deleted', async () => {
    await client.delete({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      namespace: ns.name,
      name: 'app-2',
    });
    await eventually(
      'app-2 and its objects gone',
      async () => {
        try {
          await getKustomization(client, ns.name, 'app-2');
          return false;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        return (await getCm('app-2-settings')) === undefined;
      },
      60_000,
      250,
    );
    await controller?.stop('SIGTERM');
  });
});
