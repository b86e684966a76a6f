import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/kube/index.js';
import {
  blueGreenStrategy,
  type ReplicaSet,
  type Rollout,
  withAntiAffinity,
} from '../../../../src/rollouts/index.js';

const rollout = (blueGreen: Record<string, unknown>, status: Record<string, unknown> = {}): Rollout =>
  ({
    metadata: { name: 'bg', namespace: 'ns' },
    spec: {
      replicas: 4,
      template: { metadata: { labels: { app: 'bg', tier: 'web' } } },
      strategy: { blueGreen: { activeService: 'a', previewService: 'p', ...blueGreen } },
    },
    status,
  }) as Rollout;

const svc = (name: string, selector: Record<string, string>, managedBy?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name,
    ...(managedBy && { annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': managedBy } }),
  },
  spec: { selector },
});

describe('blue-green Service references (Argo messages)', () => {
  const check = (services: KubeObject[]) =>
    blueGreenStrategy.serviceError?.(rollout({}), new Map(services.map((s) => [s.metadata.name ?? '', s])));
  it('missing active, then missing preview', () => {
    assert.equal(
      check([]),
      'spec.strategy.blueGreen.activeService: Invalid value: "a": service "a" not found',
    );
    assert.equal(
      check([svc('a', { app: 'bg' })]),
      'spec.strategy.blueGreen.previewService: Invalid value: "p": service "p" not found',
    );
  });
  it('a selector label the pod template lacks', () => {
    assert.equal(
      check([svc('a', { app: 'other' }), svc('p', { app: 'bg' })]),
      'spec.strategy.blueGreen.activeService: Invalid value: "a": Service "a" has unmatch label "app" in rollout',
    );
  });
  it('managed by another Rollout', () => {
    assert.equal(
      check([
        svc('a', { app: 'bg', 'rollouts-pod-template-hash': 'x' }, 'bg'),
        svc('p', { tier: 'web' }, 'other'),
      ]),
      'spec.strategy.blueGreen.previewService: Invalid value: "p": Service "p" is managed by another Rollout',
    );
  });
  it('usable Services', () => {
    assert.equal(check([svc('a', { app: 'bg' }, 'bg'), svc('p', {})]), undefined);
  });
});

describe('blue-green antiAffinity (Argo GenerateReplicaSetAffinity)', () => {
  const rs = (hash: string): ReplicaSet => ({
    metadata: { name: `bg-${hash}`, labels: { 'rollouts-pod-template-hash': hash } },
    spec: { template: { spec: { containers: [] } } },
  });
  const term = {
    labelSelector: {
      matchExpressions: [{ key: 'rollouts-pod-template-hash', operator: 'In', values: ['old'] }],
    },
    namespaces: ['ns'],
    topologyKey: 'kubernetes.io/hostname',
  };
  it('preferred: a weighted term against the stable pods', () => {
    const out = withAntiAffinity(
      rollout(
        { antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 7 } } },
        { stableRS: 'old' },
      ),
      rs('new'),
    );
    assert.deepEqual((out.spec?.template?.spec as { affinity?: unknown } | undefined)?.affinity, {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 7, podAffinityTerm: term }],
      },
    });
  });
  it('required: a term against the stable pods', () => {
    const out = withAntiAffinity(
      rollout({ antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } }, { stableRS: 'old' }),
      rs('new'),
    );
    assert.deepEqual((out.spec?.template?.spec as { affinity?: unknown } | undefined)?.affinity, {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] },
    });
  });
  it('nothing without a stable ReplicaSet, for the stable itself, or without the option', () => {
    const anti = { antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } };
    const first = rs('new');
    assert.equal(withAntiAffinity(rollout(anti), first), first);
    const same = rs('old');
    assert.equal(withAntiAffinity(rollout(anti, { stableRS: 'old' }), same), same);
    const plain = rs('new');
    assert.equal(withAntiAffinity(rollout({}, { stableRS: 'old' }), plain), plain);
  });
});

describe('blue-green restart budget and ephemeral metadata roles', () => {
  it('maxUnavailable rounds down, default 25%', () => {
    assert.equal(blueGreenStrategy.restartMaxUnavailable(rollout({})), 1);
    assert.equal(blueGreenStrategy.restartMaxUnavailable(rollout({ maxUnavailable: '50%' })), 2);
    assert.equal(blueGreenStrategy.restartMaxUnavailable(rollout({ maxUnavailable: 9 })), 4);
  });
  it('previewMetadata for the new ReplicaSet, activeMetadata for the stable one', () => {
    const roles = blueGreenStrategy.ephemeralMetadata(
      rollout({
        previewMetadata: { labels: { role: 'preview' } },
        activeMetadata: { labels: { role: 'active' } },
      }),
    );
    assert.deepEqual(roles, { new: { labels: { role: 'preview' } }, stable: { labels: { role: 'active' } } });
  });
});
