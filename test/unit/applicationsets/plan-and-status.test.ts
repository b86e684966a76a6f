import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ApplicationSet,
  applicationSetHealth,
  applyConditions,
  planApplications,
} from '../../../src/applicationsets/index.js';
import type { Application } from '../../../src/sync/index.js';

const appSet = (policy?: string, extra: Record<string, unknown> = {}): ApplicationSet =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'set', namespace: 'argocd', uid: 'u1' },
    spec: {
      generators: [],
      template: {},
      ...(policy !== undefined && { syncPolicy: { applicationsSync: policy } }),
      ...extra,
    },
  }) as ApplicationSet;

const owner = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  name: 'set',
  uid: 'u1',
  controller: true,
  blockOwnerDeletion: true,
};
const generated = (name: string, path: string) => ({
  apiVersion: 'argoproj.io/v1alpha1' as const,
  kind: 'Application' as const,
  metadata: { name, namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
  spec: { project: 'default', source: { repoURL: 'r', path } },
});
const live = (name: string, path: string, meta: Record<string, unknown> = {}): Application =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: 'argocd',
      resourceVersion: '7',
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
      ownerReferences: [owner],
      ...meta,
    },
    spec: { project: 'default', source: { repoURL: 'r', path } },
    status: { sync: { status: 'Synced' } },
  }) as unknown as Application;

function plan(policy: string | undefined, current: Application[], want: ReturnType<typeof generated>[]) {
  const byName = new Map(current.map((a) => [a.metadata.name, a]));
  return planApplications({
    appSet: appSet(policy),
    generated: want,
    valid: want,
    current,
    byName: (n) => byName.get(n),
  }).map((a) => `${a.type}:${a.type === 'refuse' ? a.name : a.app.metadata.name}`);
}

describe('applicationsets: the plan of creates, updates and deletes', () => {
  const current = [live('a', 'old'), live('b', 'same')];
  const want = [generated('a', 'new'), generated('b', 'same'), generated('c', 'x')];
  const wantNoB = [generated('a', 'new'), generated('c', 'x')];
  it('sync (default): create, update, delete', () => {
    assert.deepEqual(plan(undefined, current, wantNoB), ['update:a', 'create:c', 'delete:b']);
    assert.deepEqual(plan('sync', current, want), ['update:a', 'create:c']);
  });
  it('create-only: create only', () => assert.deepEqual(plan('create-only', current, wantNoB), ['create:c']));
  it('create-update: no delete', () =>
    assert.deepEqual(plan('create-update', current, wantNoB), ['update:a', 'create:c']));
  it('create-delete: no update', () =>
    assert.deepEqual(plan('create-delete', current, wantNoB), ['create:c', 'delete:b']));

  it('keeps the notified annotation, preserved labels and pre-delete finalizers of the live Application', () => {
    const a = live('a', 'same', {
      annotations: { 'notified.notifications.argoproj.io': '{}', other: 'x' },
      labels: { keep: 'me', drop: 'me' },
      finalizers: [
        'resources-finalizer.argocd.argoproj.io',
        'pre-delete-finalizer.argocd.argoproj.io/cleanup',
      ],
    });
    const [action] = planApplications({
      appSet: appSet(undefined, { preservedFields: { labels: ['keep'] } }),
      generated: [generated('a', 'same')],
      valid: [generated('a', 'same')],
      current: [a],
      byName: () => a,
    });
    assert.equal(action?.type, 'update');
    if (action?.type !== 'update') return;
    assert.deepEqual(action.app.metadata.annotations, { 'notified.notifications.argoproj.io': '{}' });
    assert.deepEqual(action.app.metadata.labels, { keep: 'me' });
    assert.deepEqual(action.app.metadata.finalizers, [
      'resources-finalizer.argocd.argoproj.io',
      'pre-delete-finalizer.argocd.argoproj.io/cleanup',
    ]);
    assert.equal(action.app.metadata.resourceVersion, '7', 'the update is made against what was read');
    assert.deepEqual(action.app.status, a.status, 'status is carried over untouched');
  });

  it('refuses an Application another controller owns, and takes over an unowned one', () => {
    const foreign = live('a', 'same', { ownerReferences: [{ ...owner, name: 'other', uid: 'u2' }] });
    const unowned = live('c', 'x', { ownerReferences: [] });
    const actions = planApplications({
      appSet: appSet(),
      generated: [generated('a', 'same'), generated('c', 'x')],
      valid: [generated('a', 'same'), generated('c', 'x')],
      current: [],
      byName: (n) => (n === 'a' ? foreign : n === 'c' ? unowned : undefined),
    });
    assert.deepEqual(
      actions.map((x) => (x.type === 'refuse' ? `refuse:${x.message}` : `${x.type}:${x.app.metadata.name}`)),
      ['refuse:Object argocd/a is already owned by another ApplicationSet controller other', 'update:c'],
    );
  });
});

describe('applicationsets: conditions as Argo CD sets them', () => {
  const t0 = '2026-01-01T00:00:00Z';
  const t1 = '2026-01-01T00:01:00Z';
  it('up to date: ResourcesUpToDate and ErrorOccurred=False share the reason; ParametersGenerated true', () => {
    const c = applyConditions(
      [],
      [
        {
          type: 'ResourcesUpToDate',
          status: 'True',
          reason: 'ApplicationSetUpToDate',
          message: 'All applications have been generated successfully',
        },
      ],
      true,
      t0,
    );
    assert.deepEqual(
      c.map((x) => `${x.type}=${x.status}/${x.reason}`),
      [
        'ErrorOccurred=False/ApplicationSetUpToDate',
        'ParametersGenerated=True/ParametersGenerated',
        'ResourcesUpToDate=True/ApplicationSetUpToDate',
      ],
    );
    assert.equal(applicationSetHealth(c).status, 'Healthy');
    const again = applyConditions(
      c,
      [
        {
          type: 'ResourcesUpToDate',
          status: 'True',
          reason: 'ApplicationSetUpToDate',
          message: 'All applications have been generated successfully',
        },
      ],
      true,
      t1,
    );
    assert.ok(
      again.every((x) => x.lastTransitionTime === t0),
      'unchanged conditions keep their time',
    );
  });
  it('an error: ErrorOccurred=True, ResourcesUpToDate=False/ErrorOccurred, ParametersGenerated from the message', () => {
    const c = applyConditions(
      [],
      [
        {
          type: 'ErrorOccurred',
          status: 'True',
          reason: 'ApplicationGenerationFromParamsError',
          message: 'boom',
        },
      ],
      false,
      t0,
    );
    assert.deepEqual(
      c.map((x) => `${x.type}=${x.status}/${x.reason}/${x.message}`),
      [
        'ErrorOccurred=True/ApplicationGenerationFromParamsError/boom',
        'ParametersGenerated=False/ErrorOccurred/boom',
        'ResourcesUpToDate=False/ErrorOccurred/boom',
      ],
    );
    assert.deepEqual(applicationSetHealth(c), { status: 'Degraded', message: 'boom' });
  });
});
