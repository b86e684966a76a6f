import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  briefDrift,
  compileIgnoreRules,
  DriftDetectionError,
  decideRelease,
  diffOps,
  driftCorrectedMessage,
  driftCorrectionFailedMessage,
  driftDetectedMessage,
  driftMode,
  type HelmRelease,
  hasDrift,
  ignoredPointers,
  isDriftExcluded,
  type ObjectDrift,
  PostRenderError,
  type PostRenderer,
  postRender,
  postRenderersChanged,
  postRenderersDigest,
  type Snapshot,
} from '../../../src/flux/index.js';
import type { KubeObject } from '../../../src/kube/index.js';

const hr = (spec: Partial<HelmRelease['spec']> = {}, status?: HelmRelease['status'], generation = 1) =>
  ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'web', namespace: 'apps', generation },
    spec: { interval: '5m', ...spec },
    ...(status && { status }),
  }) as HelmRelease;

const deployment = (
  name: string,
  labels: Record<string, string> = {},
  annotations?: Record<string, string>,
) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps', labels, ...(annotations && { annotations }) },
  }) as KubeObject;
const configMap = (name: string) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'apps' } }) as KubeObject;

describe('flux HelmRelease drift detection: modes and ignore rules', () => {
  it('mode defaults to disabled', () => {
    assert.equal(driftMode(hr()), 'disabled');
    assert.equal(driftMode(hr({ driftDetection: {} })), 'disabled');
    assert.equal(driftMode(hr({ driftDetection: { mode: 'warn' } })), 'warn');
    assert.equal(driftMode(hr({ driftDetection: { mode: 'enabled' } })), 'enabled');
  });

  it('a rule without a target applies to every object; targets are anchored regular expressions', () => {
    const rules = compileIgnoreRules([
      { paths: ['/metadata/annotations'] },
      { paths: ['/spec/replicas'], target: { kind: 'Deploy.*', name: 'web' } },
      { paths: ['/data'], target: { group: '', version: 'v1', kind: 'ConfigMap' } },
    ]);
    assert.deepEqual(ignoredPointers(rules, deployment('web')), ['/metadata/annotations', '/spec/replicas']);
    assert.deepEqual(ignoredPointers(rules, deployment('web-2')), ['/metadata/annotations']);
    assert.deepEqual(ignoredPointers(rules, configMap('settings')), ['/metadata/annotations', '/data']);
  });

  it('targets select by group, namespace, labels and annotations', () => {
    const rules = compileIgnoreRules([
      { paths: ['/a'], target: { group: 'apps', namespace: 'ap.*' } },
      { paths: ['/b'], target: { labelSelector: 'tier in (web),!legacy' } },
      { paths: ['/c'], target: { annotationSelector: 'owner=team-a' } },
      { paths: ['/d'], target: { namespace: 'other' } },
    ]);
    assert.deepEqual(ignoredPointers(rules, configMap('x')), []);
    assert.deepEqual(ignoredPointers(rules, deployment('x', { tier: 'web' }, { owner: 'team-a' })), [
      '/a',
      '/b',
      '/c',
    ]);
    assert.deepEqual(ignoredPointers(rules, deployment('x', { tier: 'web', legacy: 'yes' })), ['/a']);
  });

  it('an invalid target is refused as helm-controller refuses it', () => {
    assert.throws(
      () => compileIgnoreRules([{ paths: ['/a'], target: { name: 'web(' } }]),
      (err: unknown) =>
        err instanceof DriftDetectionError &&
        err.code === 'FLUX_DRIFT_DETECTION' &&
        err.message.startsWith('failed to create ignore rule selector: invalid name regex: '),
    );
    assert.throws(
      () => compileIgnoreRules([{ paths: ['/a'], target: { labelSelector: 'a in (' } }]),
      /failed to create ignore rule selector: invalid label selector: /,
    );
    assert.throws(
      () => compileIgnoreRules([{ paths: ['/a'], target: { kind: '(a+)+' } }]),
      /invalid kind regex: .*nested quantifiers/,
    );
  });

  it('the driftDetection label or annotation excludes an object', () => {
    const key = 'helm.toolkit.fluxcd.io/driftDetection';
    assert.equal(isDriftExcluded(deployment('a')), false);
    assert.equal(isDriftExcluded(deployment('a', { [key]: 'disabled' })), true);
    assert.equal(isDriftExcluded(deployment('a', {}, { [key]: 'disabled' })), true);
    assert.equal(isDriftExcluded(deployment('a', { [key]: 'enabled' })), false);
    assert.equal(isDriftExcluded(undefined), false);
  });
});

describe('flux HelmRelease drift detection: the patch back to the desired state', () => {
  it('adds, replaces and removes object members', () => {
    assert.deepEqual(diffOps({ a: 1, b: { c: 'x' }, d: true }, { a: 2, b: { c: 'x', e: [1] } }), [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'add', path: '/b/e', value: [1] },
      { op: 'remove', path: '/d' },
    ]);
  });

  it('compares arrays by index and removes extra items from the end', () => {
    assert.deepEqual(diffOps({ l: [1, 2, 3, 4] }, { l: [1, 5] }), [
      { op: 'replace', path: '/l/1', value: 5 },
      { op: 'remove', path: '/l/3' },
      { op: 'remove', path: '/l/2' },
    ]);
    assert.deepEqual(diffOps({ l: [{ n: 'a', v: 1 }] }, { l: [{ n: 'a', v: 2 }, { n: 'b' }] }), [
      { op: 'replace', path: '/l/0/v', value: 2 },
      { op: 'add', path: '/l/1', value: { n: 'b' } },
    ]);
  });

  it('escapes keys holding / and ~, replaces values of another type, ignores undefined members', () => {
    assert.deepEqual(
      diffOps(
        { metadata: { labels: { 'app.kubernetes.io/name': 'x', 'a~b': '1' } }, s: [1], u: undefined },
        { metadata: { labels: { 'app.kubernetes.io/name': 'web', 'a~b': '1' } }, s: { k: 1 } },
      ),
      [
        { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' },
        { op: 'replace', path: '/s', value: { k: 1 } },
      ],
    );
    assert.deepEqual(diffOps({ a: null }, { a: null }), []);
    assert.deepEqual(diffOps({ a: null }, { a: 0 }), [{ op: 'replace', path: '/a', value: 0 }]);
  });
});

describe('flux HelmRelease drift detection: messages', () => {
  const drifts: ObjectDrift[] = [
    { subject: 'Deployment/apps/web', type: 'update', ops: diffOps({ a: 1, b: 2 }, { a: 3, c: 4 }) },
    { subject: 'ConfigMap/apps/settings', type: 'create', ops: [] },
    { subject: 'Service/apps/web', type: 'none', ops: [] },
    { subject: 'ClusterRole/web-reader', type: 'exclude', ops: [] },
  ];

  it("summarizes as helm-controller's SummarizeDiffSet", () => {
    assert.equal(
      driftDetectedMessage('apps/web.v3', drifts),
      [
        'Cluster state of release apps/web.v3 has drifted from the desired state:',
        'Deployment/apps/web changed (1 additions, 1 changes, 1 removals)',
        'ConfigMap/apps/settings removed',
        'ClusterRole/web-reader excluded',
      ].join('\n'),
    );
    assert.equal(briefDrift(drifts), 'removed: 1, changed: 1, excluded: 1');
    assert.equal(hasDrift(drifts), true);
    assert.equal(hasDrift(drifts.filter((d) => d.type === 'none' || d.type === 'exclude')), false);
  });

  it('names the corrections, and the failures with what did succeed', () => {
    assert.equal(
      driftCorrectedMessage('apps/web.v3', [
        'ConfigMap/apps/settings created',
        'Deployment/apps/web configured',
      ]),
      'Cluster state of release apps/web.v3 has been corrected:\nConfigMap/apps/settings created\nDeployment/apps/web configured',
    );
    assert.equal(
      driftCorrectionFailedMessage('apps/web.v3', ['Deployment/apps/web patch failure: denied'], []),
      'Failed to correct cluster state of release apps/web.v3:\nDeployment/apps/web patch failure: denied',
    );
    assert.equal(
      driftCorrectionFailedMessage(
        'apps/web.v3',
        ['Deployment/apps/web patch failure: denied'],
        ['ConfigMap/apps/settings created'],
      ),
      'Failed to partially correct cluster state of release apps/web.v3:\nDeployment/apps/web patch failure: denied\n\nSuccessful corrections:\nConfigMap/apps/settings created',
    );
  });
});

describe('flux HelmRelease post-renderers', () => {
  const renderers: PostRenderer[] = [
    {
      kustomize: {
        patches: [
          {
            patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n',
            target: { labelSelector: 'app=web', kind: 'Deployment' },
          },
        ],
        images: [{ newTag: '1.28', name: 'nginx' }],
      },
    },
  ];

  it("digests spec.postRenderers as helm-controller's Go encoding does", () => {
    assert.equal(postRenderersDigest(undefined), '');
    // computed with encoding/json over helm-controller v1.6.4's structs (field order, omitempty)
    assert.equal(postRenderersDigest(renderers), EXPECTED_DIGEST);
    assert.equal(postRenderersDigest([]), EXPECTED_EMPTY_DIGEST);
    assert.equal(
      postRenderersDigest([{ kustomize: { patches: [{ patch: 'a: <&>' }] } }]),
      EXPECTED_ESCAPED_DIGEST,
    );
  });

  it('a new generation with other post-renderers is out of sync', () => {
    const digest = postRenderersDigest(renderers);
    const observed = { observedGeneration: 1, observedPostRenderersDigest: digest };
    assert.equal(postRenderersChanged(hr({ postRenderers: renderers }, observed, 1)), false);
    assert.equal(postRenderersChanged(hr({ postRenderers: renderers }, observed, 2)), false);
    assert.equal(postRenderersChanged(hr({}, observed, 2)), true);
    assert.equal(postRenderersChanged(hr({ postRenderers: renderers }, { observedGeneration: 1 }, 2)), true);
    // the same generation never re-triggers, whatever the digest says
    assert.equal(postRenderersChanged(hr({}, observed, 1)), false);
  });

  it('changed post-renderers upgrade a deployed release', () => {
    const latest: Snapshot = {
      digest: 'sha256:x',
      name: 'web',
      namespace: 'apps',
      version: 1,
      status: 'deployed',
      chartName: 'web',
      chartVersion: '1.0.0',
      configDigest: 'sha256:c',
      firstDeployed: '2026-12-07T00:00:00Z',
      lastDeployed: '2026-12-07T00:00:00Z',
      action: 'install',
    };
    const desired = { chartName: 'web', chartVersion: '1.0.0', configDigest: 'sha256:c' };
    const counts = { installFailures: 0, upgradeFailures: 0 };
    assert.equal(decideRelease(hr().spec, [latest], desired, counts).kind, 'in-sync');
    assert.equal(
      decideRelease(hr().spec, [latest], { ...desired, postRenderersChanged: true }, counts).kind,
      'upgrade',
    );
  });

  it('patches and sets images on the rendered objects, renderer after renderer', async () => {
    const rendered: KubeObject[] = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          replicas: 1,
          template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      } as KubeObject,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' } } as KubeObject,
    ];
    const out = await postRender(rendered, [
      ...renderers,
      {
        kustomize: {
          patches: [
            {
              patch: '- op: add\n  path: /metadata/annotations\n  value: {second: "yes"}\n',
              target: { kind: 'ConfigMap' },
            },
          ],
        },
      },
    ]);
    const byKind = Object.fromEntries(out.map((o) => [o.kind, o])) as Record<
      string,
      KubeObject & { spec?: { replicas: number; template: { spec: { containers: { image: string }[] } } } }
    >;
    assert.equal(byKind.Deployment?.spec?.replicas, 3);
    assert.equal(byKind.Deployment?.spec?.template.spec.containers[0]?.image, 'nginx:1.28');
    assert.equal(byKind.Deployment?.metadata.namespace, undefined, 'no namespace added');
    assert.deepEqual(byKind.ConfigMap?.metadata.annotations, { second: 'yes' });
    assert.deepEqual(await postRender(rendered, undefined), rendered);
  });

  it("a malformed patch fails with Helm's post-render message", async () => {
    await assert.rejects(
      postRender(
        [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } } as KubeObject],
        [{ kustomize: { patches: [{ patch: '- op: replace\n  path: [not a pointer\n' }] } }],
      ),
      (err: unknown) =>
        err instanceof PostRenderError &&
        err.code === 'FLUX_POST_RENDER' &&
        err.message.startsWith('error while running post render on files: '),
    );
  });
});

const EXPECTED_DIGEST = 'sha256:53ee926381a3297ae73da1874467b42f6179580ddb1104252e115b8ee13cd8db';
const EXPECTED_EMPTY_DIGEST = 'sha256:37517e5f3dc66819f61f5a7bb8ace1921282415f10551d2defa5c3eb0985b570';
const EXPECTED_ESCAPED_DIGEST = 'sha256:fda8ab7f98fdfb0a2f0afda74d6ea2c9d49cc932c2f472cb1e307e20d8354eba';
