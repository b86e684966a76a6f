import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import {
  type Application,
  aggregateHealth,
  decideAutoSync,
  globToRegExp,
  groupSteps,
  hookTypes,
  parseKustomizeImage,
  parseLsRemote,
  parseSyncOptions,
  resolveRevision,
  retryDelayMs,
  type SyncPhase,
  selfHealDelayMs,
  syncWave,
} from '../../../src/sync/index.js';

const obj = (kind: string, name: string, wave?: number): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name,
    ...(wave !== undefined && { annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } }),
  },
});

describe('ordering: phase → wave → kind → name', () => {
  it('groups tasks into steps in gitops-engine order', () => {
    const t = (phase: SyncPhase, o: KubeObject) => ({ phase, wave: syncWave(o), obj: o });
    const steps = groupSteps([
      t('Sync', obj('Deployment', 'web', 1)),
      t('PostSync', obj('Job', 'smoke')),
      t('Sync', obj('Service', 'web')),
      t('Sync', obj('Namespace', 'ns', -1)),
      t('Sync', obj('ConfigMap', 'b')),
      t('Sync', obj('ConfigMap', 'a')),
      t('PreSync', obj('Job', 'migrate')),
      t('Sync', obj('MyCustomKind', 'x')),
    ]);
    assert.deepEqual(
      steps.map((s) => s.map((x) => `${x.phase}:${x.wave}:${x.obj.kind}/${x.obj.metadata.name}`)),
      [
        ['PreSync:0:Job/migrate'],
        ['Sync:-1:Namespace/ns'],
        ['Sync:0:ConfigMap/a', 'Sync:0:ConfigMap/b', 'Sync:0:Service/web', 'Sync:0:MyCustomKind/x'],
        ['Sync:1:Deployment/web'],
        ['PostSync:0:Job/smoke'],
      ],
    );
  });

  it('reads hook annotations, Argo and Helm', () => {
    assert.deepEqual(
      hookTypes({
        ...obj('Job', 'j'),
        metadata: { name: 'j', annotations: { 'argocd.argoproj.io/hook': 'PreSync,PostSync' } },
      }),
      ['PreSync', 'PostSync'],
    );
    assert.deepEqual(
      hookTypes({
        ...obj('Job', 'j'),
        metadata: { name: 'j', annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade' } },
      }),
      ['PreSync'],
    );
    assert.deepEqual(hookTypes(obj('Job', 'j')), []);
  });
});

describe('policies', () => {
  it('self-heal backoff is 0, 2, 6, 18, 54, 162, 300 s', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map(selfHealDelayMs),
      [0, 2_000, 6_000, 18_000, 54_000, 162_000, 300_000, 300_000],
    );
  });
  it('retry backoff grows by factor up to maxDuration', () => {
    const s = { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '12s' } };
    assert.deepEqual(
      [1, 2, 3].map((n) => retryDelayMs(s, n)),
      [5_000, 10_000, 12_000],
    );
  });
  it('sync options', () => {
    const o = parseSyncOptions([
      'CreateNamespace=true',
      'PrunePropagationPolicy=background',
      'SyncWaveTimeout=1m30s',
    ]);
    assert.equal(o.createNamespace, true);
    assert.equal(o.prunePropagationPolicy, 'Background');
    assert.equal(o.waveTimeoutMs, 90_000);
  });
  it('automated sync once per revision; a failed revision raises a condition', () => {
    const app = (status: Application['status']): Application => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'a' },
      spec: { destination: {}, syncPolicy: { automated: { prune: true } } },
      ...(status && { status }),
    });
    const input = { revision: 'abc', syncStatus: 'OutOfSync' as const, wouldPruneAll: false, nowMs: 0 };
    assert.equal(decideAutoSync({ ...input, app: app(undefined) }).kind, 'sync');
    const failed = app({
      operationState: {
        operation: { sync: { revision: 'abc' } },
        phase: 'Failed',
        message: 'boom',
        startedAt: 't',
        syncResult: { revision: 'abc' },
      },
    });
    assert.deepEqual(decideAutoSync({ ...input, app: failed }), {
      kind: 'blocked',
      message: 'Failed sync attempt to abc: boom',
    });
    const done = app({
      operationState: {
        operation: { sync: { revision: 'abc' } },
        phase: 'Succeeded',
        startedAt: 't',
        syncResult: { revision: 'abc' },
      },
    });
    assert.equal(decideAutoSync({ ...input, app: done }).kind, 'none');
    assert.equal(decideAutoSync({ ...input, app: app(undefined), wouldPruneAll: true }).kind, 'blocked');
  });
  it('app health is the worst resource health', () => {
    assert.deepEqual(
      aggregateHealth([
        { kind: 'Deployment', name: 'a', health: { status: 'Healthy' } },
        { kind: 'Rollout', name: 'r', health: { status: 'Suspended', message: 'paused' } },
        { kind: 'Service', name: 's', health: { status: 'Progressing' } },
      ]),
      { status: 'Progressing', message: 'Service s is Progressing' },
    );
  });
});

describe('git and render helpers', () => {
  it('resolves revisions from ls-remote output', () => {
    const refs = parseLsRemote(
      'aaa1111\tHEAD\naaa1111\trefs/heads/main\nbbb2222\trefs/tags/v1\nccc3333\trefs/tags/v1^{}\n',
    );
    assert.deepEqual(resolveRevision(refs, 'HEAD'), { kind: 'resolved', sha: 'aaa1111', ref: 'HEAD' });
    assert.deepEqual(resolveRevision(refs, 'main'), {
      kind: 'resolved',
      sha: 'aaa1111',
      ref: 'refs/heads/main',
    });
    assert.deepEqual(resolveRevision(refs, 'v1'), { kind: 'resolved', sha: 'ccc3333', ref: 'refs/tags/v1' });
    assert.deepEqual(resolveRevision(refs, 'nope'), { kind: 'unknown' });
  });
  it('parses Argo CD kustomize image overrides', () => {
    assert.deepEqual(parseKustomizeImage('myorg/api:1.2'), { name: 'myorg/api', newTag: '1.2' });
    assert.deepEqual(parseKustomizeImage('app=reg.io/app:2'), {
      name: 'app',
      newName: 'reg.io/app',
      newTag: '2',
    });
    assert.deepEqual(parseKustomizeImage('localhost:5000/app@sha256:ab'), {
      name: 'localhost:5000/app',
      digest: 'sha256:ab',
    });
  });
  it('matches include/exclude globs', () => {
    assert.ok(globToRegExp('{a.yaml,b/*.yaml}').test('b/x.yaml'));
    assert.ok(!globToRegExp('*.yaml').test('b/x.yaml'));
    assert.ok(globToRegExp('**/*.json').test('x/y/z.json'));
  });
});
