import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusWriter } from '../../../src/core/index.js';
import {
  type GroupVersionKind,
  type KubeClient,
  KubeError,
  type KubeObject,
  ObjectStore,
  type Reflector,
} from '../../../src/kube/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import { type Rollout, RolloutWorkloads } from '../../../src/rollouts/index.js';

function fakeReflector(state: { synced: boolean; denied?: KubeError }, objects: KubeObject[] = []) {
  const store = new ObjectStore<KubeObject>();
  for (const o of objects) store.upsert(o);
  return {
    store,
    get hasSynced() {
      return state.synced;
    },
    get forbidden() {
      return state.denied;
    },
  } as unknown as Reflector<KubeObject>;
}

const rollout = (kind: string, apiVersion = 'apps/v1'): Rollout => ({
  metadata: { name: 'r', namespace: 'ns' },
  spec: { workloadRef: { apiVersion, kind, name: 'web' } },
});

describe('RolloutWorkloads.lookup', () => {
  const web: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns' },
  };

  it('starts one informer per kind on first use and reads the cache once it has listed', () => {
    const state = { synced: false };
    const started: GroupVersionKind[] = [];
    const seen: Reflector<KubeObject>[] = [];
    const workloads = new RolloutWorkloads({
      informer: (gvk) => {
        started.push(gvk);
        return fakeReflector(state, gvk.kind === 'Deployment' ? [web] : []);
      },
      onInformer: (r) => seen.push(r),
      client: {} as KubeClient,
      written: new StatusWriter(),
      logger: silentLogger(),
    });
    assert.deepEqual(workloads.lookup({ metadata: { name: 'x' }, spec: {} }), { state: 'none' });
    assert.deepEqual(workloads.lookup(rollout('StatefulSet')), { state: 'none' });
    assert.deepEqual(workloads.lookup(rollout('Deployment')), { state: 'syncing' });
    state.synced = true;
    assert.deepEqual(workloads.lookup(rollout('Deployment')), { state: 'cached', workload: web });
    assert.deepEqual(workloads.lookup(rollout('PodTemplate', 'v1')), {
      state: 'cached',
      workload: undefined,
    });
    assert.deepEqual(started, [
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'v1', kind: 'PodTemplate' },
    ]);
    assert.equal(seen.length, 2);
  });

  it('a kind RBAC forbids is unavailable with a message naming the permission', () => {
    const denied = new KubeError(
      'KUBE_FORBIDDEN',
      'deployments.apps is forbidden: cannot list resource "deployments"',
    );
    const workloads = new RolloutWorkloads({
      informer: () => fakeReflector({ synced: false, denied }),
      onInformer: () => {},
      client: {} as KubeClient,
      written: new StatusWriter(),
      logger: silentLogger(),
    });
    const lookup = workloads.lookup(rollout('Deployment'));
    assert.equal(lookup.state, 'unavailable');
    assert.match(
      lookup.state === 'unavailable' ? lookup.message : '',
      /cannot list resource "deployments".*permissions/,
    );
  });
});
