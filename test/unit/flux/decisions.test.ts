import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listArtifactFiles } from '../../../src/flux/artifact.js';
import { buildKustomization } from '../../../src/flux/build.js';
import {
  decideHealth,
  dependencyNotReady,
  formatDurationMs,
  type Kustomization,
  sourcePath,
  substituteObjects,
  withFluxOverrides,
} from '../../../src/flux/index.js';
import type { KubeObject } from '../../../src/kube/index.js';

/** Flux's variable syntax, written so that no string looks like a mistaken template literal. */
const ENV_REF = ['$', '{ENV}'].join('');
const REV = `main@sha1:${'a'.repeat(40)}`;

function ks(
  name: string,
  extra: Partial<Kustomization['spec']> = {},
  status?: Kustomization['status'],
): Kustomization {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system', generation: 3 },
    spec: { sourceRef: { kind: 'GitRepository', name: 'repo' }, interval: '5m', prune: true, ...extra },
    ...(status && { status }),
  };
}
const readyStatus = (rev: string, generation = 3): Kustomization['status'] => ({
  observedGeneration: generation,
  lastAppliedRevision: rev,
  conditions: [
    { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${rev}` },
  ],
});

describe('flux: dependsOn', () => {
  const web = ks('web-app', { dependsOn: [{ name: 'infrastructure' }] });
  it('waits for a missing dependency', () =>
    assert.equal(
      dependencyNotReady(web, REV, () => undefined),
      `dependency 'flux-system/infrastructure' not found: Kustomization.kustomize.toolkit.fluxcd.io "infrastructure" not found`,
    ));
  it('waits for one not Ready', () =>
    assert.equal(
      dependencyNotReady(web, REV, () => ks('infrastructure', {}, { ...readyStatus(REV), conditions: [] })),
      `dependency 'flux-system/infrastructure' is not ready`,
    ));
  it('waits for one that has not observed its generation', () =>
    assert.equal(
      dependencyNotReady(web, REV, () => ks('infrastructure', {}, readyStatus(REV, 2))),
      `dependency 'flux-system/infrastructure' is not ready`,
    ));
  it('waits for one of the same source at another revision', () =>
    assert.equal(
      dependencyNotReady(web, REV, () =>
        ks('infrastructure', {}, readyStatus(`main@sha1:${'b'.repeat(40)}`)),
      ),
      `dependency 'flux-system/infrastructure' revision is not up to date`,
    ));
  it('ignores the revision of one from another source', () =>
    assert.equal(
      dependencyNotReady(web, REV, () =>
        ks(
          'infrastructure',
          { sourceRef: { kind: 'GitRepository', name: 'other' } },
          readyStatus('x@sha1:0'),
        ),
      ),
      undefined,
    ));
  it('passes when ready at the same revision', () =>
    assert.equal(
      dependencyNotReady(web, REV, () => ks('infrastructure', {}, readyStatus(REV))),
      undefined,
    ));
});

describe('flux: health checks', () => {
  const rollout = (phase: string, conditions: unknown[] = []) =>
    ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web-app', namespace: 'production', generation: 1 },
      spec: { replicas: 2 },
      status: { phase, observedGeneration: '1', conditions },
    }) as unknown as KubeObject;
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'production' } };
  it('is healthy when every object is current (a kind without a check counts once it exists)', () =>
    assert.deepEqual(
      decideHealth(
        [
          { ref: 'ConfigMap/production/c', live: cm },
          { ref: 'Rollout/production/web-app', live: rollout('Healthy') },
        ],
        0,
        1000,
      ),
      { kind: 'healthy' },
    ));
  it('waits, then fails with the pending objects at the timeout', () => {
    const objects = [
      { ref: 'Rollout/production/web-app', live: rollout('Progressing') },
      { ref: 'Deployment/production/gone', live: undefined },
    ];
    assert.deepEqual(decideHealth(objects, 999, 1000), {
      kind: 'waiting',
      pending: `[Rollout/production/web-app status: 'InProgress', Deployment/production/gone status: 'NotFound']`,
    });
    assert.deepEqual(decideHealth(objects, 1000, 1000), {
      kind: 'failed',
      message: `timeout waiting for: [Rollout/production/web-app status: 'InProgress', Deployment/production/gone status: 'NotFound']`,
    });
  });
  it('prints durations as Go does', () => {
    assert.equal(formatDurationMs(300_000), '5m0s');
    assert.equal(formatDurationMs(30_000), '30s');
    assert.equal(formatDurationMs(1_500), '1.5s');
  });
});

describe('flux: build', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const repo = (files: Record<string, string>) => {
    const d = mkdtempSync(join(tmpdir(), 'slipway-flux-unit-'));
    dirs.push(d);
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(d, p, '..'), { recursive: true });
      writeFileSync(join(d, p), text);
    }
    return d;
  };
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-app}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "myorg/web-app:1.0.0"}]}
`;

  it('takes the path from the source root', () => {
    assert.equal(sourcePath(ks('a', { path: './production/web-app' })), 'production/web-app');
    assert.equal(sourcePath(ks('a', { path: '/production' })), 'production');
    assert.equal(sourcePath(ks('a')), '.');
  });

  it('adds targetNamespace, patches and images to the file as kustomize-controller does', () =>
    assert.deepEqual(
      withFluxOverrides(
        { resources: ['a.yaml'], images: [{ name: 'x', newTag: '1' }] },
        ks('a', {
          targetNamespace: 'prod',
          patches: [{ patch: 'p', target: { kind: 'Deployment' } }],
          images: [{ name: 'y', newTag: '2' }],
        }),
      ),
      {
        resources: ['a.yaml'],
        namespace: 'prod',
        patches: [{ patch: 'p', target: { kind: 'Deployment' } }],
        images: [
          { name: 'x', newTag: '1' },
          { name: 'y', newTag: '2' },
        ],
      },
    ));

  it('generates a kustomization for a plain directory and applies the overrides (real kustomize)', async () => {
    const root = repo({
      'production/web-app/deployment.yaml': deployment,
      'production/web-app/notes.yaml': 'just: data\n',
      'production/web-app/sub/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n',
      '.github/ci.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ci}\n',
    });
    const objects = await buildKustomization(
      await listArtifactFiles(root, undefined),
      ks('web-app', {
        path: './production/web-app',
        targetNamespace: 'production',
        patches: [
          {
            patch: '- op: replace\n  path: /spec/replicas\n  value: 5\n',
            target: { kind: 'Deployment', name: 'web-app' },
          },
        ],
        images: [{ name: 'myorg/web-app', newTag: '1.2.5' }],
      }),
    );
    const byName = Object.fromEntries(objects.map((o) => [o.metadata.name, o]));
    assert.deepEqual(Object.keys(byName).sort(), ['cm', 'web-app']);
    const d = byName['web-app'] as KubeObject & {
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    assert.equal(d.metadata.namespace, 'production');
    assert.equal(d.spec.replicas, 5);
    assert.equal(d.spec.template.spec.containers[0]?.image, 'myorg/web-app:1.2.5');
  });

  it('refuses a path out of the source and a kustomization linked out of it', async () => {
    const root = repo({ 'app/deployment.yaml': deployment });
    await assert.rejects(
      buildKustomization(await listArtifactFiles(root, undefined), ks('a', { path: '../../etc' })),
      /leaves the source root/,
    );
    const outside = repo({ 'kustomization.yaml': 'resources: [/etc/passwd]\n' });
    const linked = repo({ 'app/deployment.yaml': deployment });
    symlinkSync(join(outside, 'kustomization.yaml'), join(linked, 'app', 'kustomization.yaml'));
    await assert.rejects(
      buildKustomization(await listArtifactFiles(linked, undefined), ks('a', { path: './app' })),
      /regular file|symlink|outside/,
    );
  });

  it('substitutes variables except in objects that opt out', () => {
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { env: ENV_REF } } as KubeObject,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'b', annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } },
        data: { env: ENV_REF },
      } as KubeObject,
    ];
    const r = substituteObjects(objects, { ENV: 'prod' });
    assert.ok(r.ok);
    assert.deepEqual(
      r.objects.map((o) => (o as KubeObject & { data: Record<string, string> }).data.env),
      ['prod', ENV_REF],
    );
    assert.deepEqual(substituteObjects(objects, { 'bad-name': 'x' }), {
      ok: false,
      message: `'bad-name' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'`,
    });
  });
});
