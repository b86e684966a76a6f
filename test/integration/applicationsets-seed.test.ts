import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventMessages, eventRecorded } from '../support/fixtures/rollout-scenario.js';
import {
  APPSET,
  ApplicationSetHarness,
  applicationSet,
  configMapYaml,
  getObject,
  IN_CLUSTER,
  isSyncedHealthy,
  waitForAppSet,
  waitForApps,
} from '../support/git/applicationset-harness.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// The seed's ApplicationSet (issue 17's appendix): a list generator with one element per region, its
// destination pointed at this cluster and its source at a real local repository. It must create one
// Application per region that syncs, report Argo CD's conditions and resources, follow changes to
// the elements and the template (applicationsSync: sync), and report bad input without touching
// what exists.

const REGIONS = {
  tokyo: 'ap-northeast-1',
  ireland: 'eu-west-1',
  virginia: 'us-east-1',
} as const;
const NAME = 'web-app-multi-region';

function layout(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const region of Object.values(REGIONS))
    files[`production/web-app/overlays/${region}/config.yaml`] = configMapYaml(`web-app-${region}`, {
      region,
    });
  return files;
}

describe('applicationsets: the seed list ApplicationSet creates Applications that sync', () => {
  let h: ApplicationSetHarness;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  const elements = (clusters: readonly (keyof typeof REGIONS)[]) =>
    clusters.map((cluster) => ({ cluster, url: IN_CLUSTER, region: REGIONS[cluster] }));
  const spec = (clusters: readonly (keyof typeof REGIONS)[], labels: Record<string, string> = {}) => ({
    generators: [{ list: { elements: elements(clusters) } }],
    template: {
      metadata: { name: 'web-app-{{cluster}}', labels },
      spec: {
        project: 'default',
        source: { repoURL: repo.url, targetRevision: 'main', path: 'production/web-app/overlays/{{region}}' },
        destination: { server: '{{url}}', namespace: ns.name },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    },
  });
  const patchSpec = (s: unknown) =>
    h.client.patch({ ...APPSET, namespace: ns.name, name: NAME }, { spec: s }, { type: 'merge' });

  before(async () => {
    repo = TestRepo.create(layout());
    ns = await testNamespace(testClient(), 'appset-seed');
    h = await ApplicationSetHarness.start(ns.name);
    await h.client.create(applicationSet(ns.name, NAME, spec(['tokyo', 'ireland', 'virginia'])));
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
    repo?.dispose();
  });

  it('creates one Application per region, owned by the ApplicationSet, and each syncs', async () => {
    const apps = await waitForApps(
      h.client,
      ns.name,
      'three Synced and Healthy Applications',
      (as) => as.length === 3 && as.every(isSyncedHealthy),
    );
    assert.deepEqual(
      apps.map((a) => a.metadata.name),
      ['web-app-ireland', 'web-app-tokyo', 'web-app-virginia'],
    );
    const appSet = await waitForAppSet(
      h.client,
      ns.name,
      NAME,
      'resources reported',
      (s) =>
        (s.status?.resources ?? []).every((r) => r.status === 'Synced' && r.health?.status === 'Healthy') &&
        s.status?.resources?.length === 3,
    );
    for (const app of apps) {
      assert.deepEqual(app.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
      const [owner] = app.metadata.ownerReferences ?? [];
      assert.equal(owner?.kind, 'ApplicationSet');
      assert.equal(owner?.name, NAME);
      assert.equal(owner?.uid, appSet.metadata.uid);
      assert.equal(owner?.controller, true);
    }
    for (const region of Object.values(REGIONS)) {
      const cm = await getObject(h.client, 'v1', 'ConfigMap', ns.name, `web-app-${region}`);
      assert.equal(cm?.data?.region, region);
    }
    const byType = Object.fromEntries((appSet.status?.conditions ?? []).map((c) => [c.type, c]));
    assert.deepEqual(Object.keys(byType).sort(), [
      'ErrorOccurred',
      'ParametersGenerated',
      'ResourcesUpToDate',
    ]);
    assert.equal(byType.ResourcesUpToDate?.status, 'True');
    assert.equal(byType.ResourcesUpToDate?.reason, 'ApplicationSetUpToDate');
    assert.equal(byType.ResourcesUpToDate?.message, 'All applications have been generated successfully');
    assert.equal(byType.ParametersGenerated?.status, 'True');
    assert.equal(
      byType.ParametersGenerated?.message,
      'Successfully generated parameters for all Applications',
    );
    assert.equal(byType.ErrorOccurred?.status, 'False');
    assert.equal(appSet.status?.health?.status, 'Healthy');
    assert.deepEqual(
      appSet.status?.resources?.map((r) => `${r.kind}/${r.namespace}/${r.name}`),
      apps.map((a) => `Application/${ns.name}/${a.metadata.name}`),
    );
    await eventRecorded(
      h.client,
      ns.name,
      NAME,
      'created',
      (e) => e === 'created: created Application "web-app-tokyo"',
    );
  });

  it('updates the Applications when the template changes', async () => {
    await patchSpec({ template: spec(['tokyo', 'ireland', 'virginia'], { team: 'web' }).template });
    await waitForApps(
      h.client,
      ns.name,
      'the new label on every Application',
      (as) => as.length === 3 && as.every((a) => a.metadata.labels?.team === 'web'),
    );
    await eventRecorded(h.client, ns.name, NAME, 'updated', (e) =>
      e.startsWith('updated: updated Application'),
    );
  });

  it('deletes the Application of a removed element, and its resources with it', async () => {
    await patchSpec({ generators: spec(['tokyo', 'ireland']).generators });
    await waitForApps(
      h.client,
      ns.name,
      'web-app-virginia deleted',
      (as) => as.map((a) => a.metadata.name).join(',') === 'web-app-ireland,web-app-tokyo',
    );
    await waitForAppSet(h.client, ns.name, NAME, 'two resources', (s) => s.status?.resources?.length === 2);
    await eventRecorded(
      h.client,
      ns.name,
      NAME,
      'deleted',
      (e) => e === 'Deleted: Deleted Application "web-app-virginia"',
    );
    await eventually(
      'the ConfigMap of virginia deleted with its Application',
      async () => (await getObject(h.client, 'v1', 'ConfigMap', ns.name, 'web-app-us-east-1')) === undefined,
      90_000,
    );
  });

  it('reports duplicate names (ApplicationValidationError) and leaves the Applications as they are', async () => {
    const dup = spec(['tokyo', 'ireland']);
    const [gen] = dup.generators;
    await patchSpec({
      generators: [
        {
          list: {
            elements: [...(gen?.list.elements ?? []), { cluster: 'tokyo', url: IN_CLUSTER, region: 'x' }],
          },
        },
      ],
    });
    const s = await waitForAppSet(
      h.client,
      ns.name,
      NAME,
      'ErrorOccurred',
      (a) => a.status?.conditions?.some((c) => c.type === 'ErrorOccurred' && c.status === 'True') === true,
    );
    const error = s.status?.conditions?.find((c) => c.type === 'ErrorOccurred');
    assert.equal(error?.reason, 'ApplicationValidationError');
    assert.equal(
      error?.message,
      `ApplicationSet ${NAME} contains applications with duplicate name: web-app-tokyo`,
    );
    assert.equal(s.status?.conditions?.find((c) => c.type === 'ResourcesUpToDate')?.status, 'False');
    assert.equal(s.status?.health?.status, 'Degraded');
    await eventRecorded(h.client, ns.name, NAME, 'a warning', (e) =>
      e.startsWith('ApplicationValidationError: '),
    );
    const apps = await waitForApps(h.client, ns.name, 'both Applications kept', (as) => as.length === 2);
    assert.ok(apps.every((a) => a.metadata.deletionTimestamp === undefined));
  });

  it('reports a template error (missingkey=error) as RenderTemplateParamsError, then recovers', async () => {
    const good = spec(['tokyo', 'ireland']);
    await patchSpec({
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: good.generators,
      template: { ...good.template, metadata: { name: 'web-app-{{ .clusterName }}' } },
    });
    const s = await waitForAppSet(
      h.client,
      ns.name,
      NAME,
      'a render error',
      (a) =>
        a.status?.conditions?.some(
          (c) => c.type === 'ErrorOccurred' && c.reason === 'RenderTemplateParamsError',
        ) === true,
    );
    const params = s.status?.conditions?.find((c) => c.type === 'ParametersGenerated');
    assert.equal(params?.status, 'False');
    assert.match(params?.message ?? '', /map has no entry for key "clusterName"/);
    assert.equal((await waitForApps(h.client, ns.name, 'apps kept', (as) => as.length === 2)).length, 2);
    // back to fasttemplate: the rest of the template is written for it
    await patchSpec({ goTemplate: false, goTemplateOptions: null, template: good.template });
    await waitForAppSet(
      h.client,
      ns.name,
      NAME,
      'up to date again',
      (a) =>
        a.status?.conditions?.some((c) => c.type === 'ResourcesUpToDate' && c.status === 'True') === true,
    );
    const messages = await eventMessages(h.client, ns.name, NAME);
    assert.ok(
      messages.some((m) => m.startsWith('RenderTemplateParamsError: ')),
      messages.join('\n'),
    );
  });
});
