import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.js';
import { OLDER_FLUX_VERSIONS } from '../../src/dev/flux-crds/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

// The seeds' manifests (issue 19's appendix) in the older API versions they use; `slipway install --flux`
// serves those versions, and each object reads back through the current version with its spec intact.
const seeds = `
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: HelmRepository
metadata: {name: ingress-nginx}
spec: {interval: 24h, url: https://kubernetes.github.io/ingress-nginx}
---
apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata: {name: nginx-ingress}
spec:
  interval: 10m
  chart:
    spec:
      chart: ingress-nginx
      version: '4.8.x'
      sourceRef: {kind: HelmRepository, name: ingress-nginx, namespace: flux-system}
  targetNamespace: ingress-nginx
  install: {createNamespace: true}
  values: {controller: {replicaCount: 3}}
  upgrade: {remediation: {retries: 3}}
  rollback: {recreate: true}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata: {name: web-app}
spec: {image: myregistry/web-app, interval: 1m, secretRef: {name: docker-registry-credentials}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: web-app}
spec:
  imageRepositoryRef: {name: web-app}
  policy: {semver: {range: '>=1.0.0 <2.0.0'}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta1
kind: ImageUpdateAutomation
metadata: {name: web-app-automation}
spec:
  interval: 30m
  sourceRef: {kind: GitRepository, name: k8s-manifests}
  git:
    checkout: {ref: {branch: main}}
    commit:
      author: {email: fluxcdbot@example.com, name: FluxCD Bot}
      messageTemplate: |
        Automated image update
        Automation name: {{ .AutomationObject }}
    push: {branch: main}
  update: {path: ./production/web-app, strategy: Setters}
---
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: GitRepository
metadata: {name: k8s-manifests}
spec:
  interval: 1m
  url: https://github.com/myorg/k8s-manifests
  ref: {branch: main}
  secretRef: {name: github-token}
  ignore: |
    .github/
---
apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata: {name: web-app}
spec:
  sourceRef: {kind: GitRepository, name: k8s-manifests}
  path: ./production/web-app
  interval: 5m
  prune: true
  targetNamespace: production
`;

const current: Record<string, string> = {
  'source.toolkit.fluxcd.io': 'v1',
  'helm.toolkit.fluxcd.io': 'v2',
  'image.toolkit.fluxcd.io': 'v1',
  'kustomize.toolkit.fluxcd.io': 'v1',
};

/** Every field of `expected` is in `actual` with the same value (the API server adds schema defaults). */
function assertContains(actual: unknown, expected: unknown, path: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected))
      assertContains((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else assert.deepEqual(actual, expected, path);
}

describe('flux: older API versions are served without a conversion webhook', { timeout: 300_000 }, () => {
  const client = testClient();
  let ns: { name: string; delete(): Promise<void> };
  before(async () => {
    ns = await testNamespace(client, 'flux-versions');
  });
  after(async () => {
    await ns?.delete();
  });

  it('slipway install --flux serves the older versions beside the current one', async () => {
    assert.equal(await main(['install', '--flux', '--kubeconfig', testKubeconfigPath()]), 0);
    for (const [name, older] of Object.entries(OLDER_FLUX_VERSIONS)) {
      const crd = await client.get<
        KubeObject & { spec: { versions: { name: string; served: boolean; storage: boolean }[] } }
      >({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
      const served = crd.spec.versions.filter((v) => v.served).map((v) => v.name);
      for (const v of older) assert.ok(served.includes(v), `${name} serves ${v}: ${served.join(',')}`);
      assert.deepEqual(
        crd.spec.versions.filter((v) => v.storage).map((v) => v.name),
        [current[name.slice(name.indexOf('.') + 1)]],
        name,
      );
    }
  });

  it("the seeds' manifests apply in their versions and read back as v1/v2 with the same spec", async () => {
    for (const doc of parseAllDocuments(seeds)) {
      const seed = doc.toJS() as KubeObject & { spec: unknown };
      const object = { ...seed, metadata: { ...seed.metadata, namespace: ns.name } };
      await client.apply(object, { fieldManager: 'kubectl', force: true });
      const group = (seed.apiVersion ?? '').split('/')[0] ?? '';
      const read = await client.get<KubeObject & { spec: unknown }>({
        apiVersion: `${group}/${current[group]}`,
        kind: seed.kind ?? '',
        namespace: ns.name,
        name: seed.metadata.name ?? '',
      });
      assert.equal(read.apiVersion, `${group}/${current[group]}`);
      assertContains(read.spec, seed.spec, `${seed.kind}.spec`);
      // and as the version it was applied in
      const old = await client.get<KubeObject & { spec: unknown }>({
        apiVersion: seed.apiVersion ?? '',
        kind: seed.kind ?? '',
        namespace: ns.name,
        name: seed.metadata.name ?? '',
      });
      assert.equal(old.apiVersion, seed.apiVersion);
      assert.deepEqual(old.spec, read.spec);
    }
  });
});
