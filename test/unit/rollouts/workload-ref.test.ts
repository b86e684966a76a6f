import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import {
  formatValidationError,
  planWorkloadScaleDown,
  type Rollout,
  resolveWorkloadRef,
  validateRollout,
  type WorkloadScaleDownInput,
} from '../../../src/rollouts/index.js';

const rollout = (spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): Rollout =>
  ({
    metadata: { name: 'r', namespace: 'ns' },
    spec: {
      replicas: 3,
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      strategy: { canary: { steps: [{ setWeight: 20 }] } },
      ...spec,
    },
    status,
  }) as Rollout;

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'i:1' }] },
};
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', generation: 4 },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
};

describe('resolveWorkloadRef (Argo templateref.go)', () => {
  it('takes the template and selector of a Deployment, and its generation', () => {
    const res = resolveWorkloadRef(rollout(), deployment);
    assert.ok(res.ok);
    assert.deepEqual(res.rollout.spec?.template, template);
    assert.deepEqual(res.rollout.spec?.selector, { matchLabels: { app: 'web' } });
    assert.equal(res.generation, '4');
  });
  it("keeps the Rollout's own selector", () => {
    const own = { matchLabels: { app: 'mine' } };
    const res = resolveWorkloadRef(rollout({ selector: own }), deployment);
    assert.ok(res.ok);
    assert.deepEqual(res.rollout.spec?.selector, own);
  });
  it('a PodTemplate gives its template and no selector', () => {
    const pt: KubeObject = {
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 'web', generation: 1 },
      template,
    };
    const ref = { apiVersion: 'v1', kind: 'PodTemplate', name: 'web' };
    const res = resolveWorkloadRef(rollout({ workloadRef: ref }), pt);
    assert.ok(res.ok);
    assert.deepEqual(res.rollout.spec?.template, template);
    assert.equal(res.rollout.spec?.selector, undefined);
  });
  it('a Rollout without workloadRef is unchanged', () => {
    const r = rollout({ workloadRef: undefined });
    const res = resolveWorkloadRef(r, undefined);
    assert.ok(res.ok);
    assert.equal(res.rollout, r);
    assert.equal(res.generation, undefined);
  });
  it("Argo's messages: missing, unsupported kind, template set", () => {
    const msg = (r: Rollout, w?: KubeObject) => {
      const res = resolveWorkloadRef(r, w);
      return res.ok ? undefined : res.message;
    };
    // Argo looks the workload up in a cluster-wide lister by "namespace/name": the NotFound names that key
    assert.equal(msg(rollout()), 'deployments.apps "ns/web" not found');
    const pt = { apiVersion: 'v1', kind: 'PodTemplate', name: 'p' };
    assert.equal(msg(rollout({ workloadRef: pt })), 'podtemplates "ns/p" not found');
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 's' };
    assert.equal(
      msg(rollout({ workloadRef: sts }), deployment),
      'workload of type apps/StatefulSet is not supported',
    );
    const noGroup = { apiVersion: 'v1', kind: 'Deployment', name: 'web' };
    assert.equal(
      msg(rollout({ workloadRef: noGroup }), deployment),
      'workload of type /Deployment is not supported',
    );
    assert.equal(
      msg(rollout({ template: { metadata: { labels: { app: 'web' } } } }), deployment),
      'template must be empty for workload reference rollout',
    );
    // Argo's EmptyTemplate looks at labels and annotations only
    assert.equal(msg(rollout({ template: { spec: { containers: [] } } }), deployment), undefined);
  });
});

describe('validateRollout with workloadRef', () => {
  it('offline (lint): a template next to workloadRef is an internal error, no selector needed', () => {
    const errors = validateRollout(rollout({ template: { metadata: { labels: { a: 'b' } } } }));
    assert.deepEqual(
      errors.map((e) => formatValidationError(e, { argoPath: true })),
      ['spec.template: Internal error: template must be empty for workload reference rollout'],
    );
    assert.deepEqual(validateRollout(rollout()), []);
  });
  it('resolved: the selector must match the referenced template', () => {
    const resolved = resolveWorkloadRef(rollout({ selector: { matchLabels: { app: 'other' } } }), deployment);
    assert.ok(resolved.ok);
    const errors = validateRollout(resolved.rollout, { templateResolvedFromRef: true });
    assert.match(
      formatValidationError(errors[0] ?? { type: 'Required', field: '', argoField: '', message: '' }),
      /selector` does not match template `labels`/,
    );
  });
});

describe('planWorkloadScaleDown (Argo scaleDown modes)', () => {
  const base = (scaleDown: string, status: Record<string, unknown> = {}): WorkloadScaleDownInput => ({
    rollout: rollout(
      { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown } },
      status,
    ),
    newRSRevision: 1,
    newRSReplicasBefore: 1,
    newRSReplicasAfter: 2,
    isFullyPromoted: false,
    deploymentReplicas: 3,
  });
  it('never (and unset) leaves the Deployment', () => {
    assert.equal(
      planWorkloadScaleDown({ ...base('never', { phase: 'Healthy' }), isFullyPromoted: true }),
      undefined,
    );
    assert.equal(
      planWorkloadScaleDown({ ...base('', { phase: 'Healthy' }), isFullyPromoted: true }),
      undefined,
    );
  });
  it('onsuccess: 0 once Healthy and promoted, on the first revision only', () => {
    assert.equal(
      planWorkloadScaleDown(base('onsuccess', { phase: 'Progressing', readyReplicas: 2 })),
      undefined,
    );
    assert.equal(
      planWorkloadScaleDown({ ...base('onsuccess', { phase: 'Healthy' }), isFullyPromoted: true }),
      0,
    );
    assert.equal(
      planWorkloadScaleDown({
        ...base('onsuccess', { phase: 'Healthy' }),
        isFullyPromoted: true,
        newRSRevision: 2,
      }),
      undefined,
    );
    assert.equal(
      planWorkloadScaleDown({
        ...base('onsuccess', { phase: 'Healthy' }),
        isFullyPromoted: true,
        deploymentReplicas: 0,
      }),
      undefined,
    );
  });
  it('progressively: replicas − ready while progressing, 0 once Healthy', () => {
    assert.equal(planWorkloadScaleDown(base('progressively', { phase: 'Progressing' })), undefined);
    assert.equal(planWorkloadScaleDown(base('progressively', { phase: 'Progressing', readyReplicas: 1 })), 2);
    assert.equal(planWorkloadScaleDown(base('progressively', { phase: 'Progressing', readyReplicas: 5 })), 0);
    assert.equal(planWorkloadScaleDown(base('progressively', { phase: 'Healthy', readyReplicas: 3 })), 0);
    // the new ReplicaSet shrinking (an abort) gives the Deployment its pods back
    const shrinking = {
      ...base('progressively', { phase: 'Degraded' }),
      newRSReplicasBefore: 2,
      newRSReplicasAfter: 0,
      deploymentReplicas: 0,
    };
    assert.equal(planWorkloadScaleDown(shrinking), 3);
    assert.equal(
      planWorkloadScaleDown({ ...base('progressively', { readyReplicas: 1 }), newRSRevision: 2 }),
      undefined,
    );
  });
  it('only a Deployment is scaled', () => {
    const rs = base('onsuccess', { phase: 'Healthy' });
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', scaleDown: 'onsuccess' };
    assert.equal(
      planWorkloadScaleDown({
        ...rs,
        rollout: rollout({ workloadRef: ref }, { phase: 'Healthy' }),
        isFullyPromoted: true,
      }),
      undefined,
    );
  });
});
