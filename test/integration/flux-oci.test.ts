import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listTags, OCI_REPOSITORY_GVK, type OCIRepository, parseOciUrl } from '../../src/flux/index.js';
import { isNotFound, type KubeObject } from '../../src/kube/index.js';
import { condition, FluxHarness, kustomization, waitForKustomization } from '../support/flux/flux-harness.js';
import { OciRegistry } from '../support/flux/oci-registry.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// An OCIRepository against a real registry (Debian's docker-registry on loopback) holding artifacts
// pushed as `flux push artifact` does, and a Kustomization applying it: semver picks the tag, a new
// tag rolls out, the revision reads `<tag>@sha256:<digest>`.

const skip = OciRegistry.available()
  ? false
  : 'docker-registry is not installed (apt-get install docker-registry)';
const manifests = (version: string, extra: boolean): Record<string, string> => ({
  'app/settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: oci-settings}\ndata: {version: "${version}"}\n`,
  ...(extra && {
    'app/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: oci-extra}\ndata: {a: b}\n',
  }),
});

describe('flux: OCIRepository from a real registry, applied by a Kustomization', {
  skip,
  timeout: 300_000,
}, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let registry: OciRegistry;
  const digests = new Map<string, string>();
  const getCm = async (name: string) => {
    try {
      return await h.client.get<KubeObject & { data?: Record<string, string> }>({
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

  before(async () => {
    ns = await testNamespace(testClient(), 'flux-oci');
    registry = await OciRegistry.start();
    digests.set('1.0.0', await registry.pushArtifact('manifests/app', '1.0.0', manifests('1.0.0', true)));
    digests.set('2.0.0', await registry.pushArtifact('manifests/app', '2.0.0', manifests('2.0.0', true)));
    h = await FluxHarness.start(ns.name);
    await h.client.create({
      ...OCI_REPOSITORY_GVK,
      metadata: { name: 'app', namespace: ns.name },
      spec: {
        interval: '2s',
        url: `oci://${registry.host}/manifests/app`,
        insecure: true,
        ref: { semver: '>=1.0.0 <2.0.0' },
        layerSelector: { mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip', operation: 'extract' },
      },
    } as KubeObject);
    await h.client.create(
      kustomization(ns.name, 'app', {
        sourceRef: { kind: 'OCIRepository', name: 'app' },
        path: './app',
        interval: '3s',
        prune: true,
        targetNamespace: ns.name,
      }),
    );
  });
  after(async () => {
    await h?.stop();
    await registry?.stop();
    await ns?.delete();
  });

  it('lists the registry tags', async () => {
    const tags = await listTags(parseOciUrl(`oci://${registry.host}/manifests/app`), {
      insecure: true,
      timeoutMs: 10_000,
    });
    assert.deepEqual(tags.sort(), ['1.0.0', '2.0.0']);
  });

  it('stores the tag the semver range picks and the Kustomization applies it', async () => {
    const want = `1.0.0@${digests.get('1.0.0')}`;
    const oci = await eventually(
      'OCIRepository ready',
      async () => {
        const o = await h.client.get<OCIRepository>({
          ...OCI_REPOSITORY_GVK,
          namespace: ns.name,
          name: 'app',
        });
        return condition(o, 'Ready')?.status === 'True' ? o : undefined;
      },
      60_000,
      250,
    );
    assert.equal(oci.status?.artifact?.revision, want);
    assert.equal(condition(oci, 'Ready')?.message, `stored artifact for digest '${want}'`);
    const k = await waitForKustomization(
      h.client,
      ns.name,
      'app',
      'applied',
      (x) => condition(x, 'Ready')?.status === 'True',
    );
    assert.equal(k.status?.lastAppliedRevision, want);
    assert.equal((await getCm('oci-settings'))?.data?.version, '1.0.0');
    assert.ok(await getCm('oci-extra'));
  });

  it('rolls out a new tag in range and prunes what left the artifact; 2.0.0 stays out', async () => {
    digests.set('1.2.5', await registry.pushArtifact('manifests/app', '1.2.5', manifests('1.2.5', false)));
    const want = `1.2.5@${digests.get('1.2.5')}`;
    await waitForKustomization(
      h.client,
      ns.name,
      'app',
      '1.2.5 applied',
      (x) => x.status?.lastAppliedRevision === want,
    );
    assert.equal((await getCm('oci-settings'))?.data?.version, '1.2.5');
    await eventually('oci-extra pruned', async () => (await getCm('oci-extra')) === undefined, 60_000, 250);
  });

  it('reports a missing tag as a fetch failure', async () => {
    await h.client.patch(
      { ...OCI_REPOSITORY_GVK, namespace: ns.name, name: 'app' },
      { spec: { ref: { semver: null, tag: 'no-such-tag' } } },
      { type: 'merge' },
    );
    const o = await eventually(
      'fetch failure',
      async () => {
        const x = await h.client.get<OCIRepository>({
          ...OCI_REPOSITORY_GVK,
          namespace: ns.name,
          name: 'app',
        });
        return condition(x, 'Ready')?.status === 'False' ? x : undefined;
      },
      60_000,
      250,
    );
    assert.equal(condition(o, 'Ready')?.reason, 'OCIArtifactPullFailed');
    assert.match(condition(o, 'FetchFailed')?.message ?? '', /no-such-tag.*404|404/);
  });
});
