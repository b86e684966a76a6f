import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEPLOY_DIR, readManifestDir, sortForInstall } from '../../../src/install/index.js';
import type { KubeObject } from '../../../src/kube/index.js';

const obj = (kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, ...(namespace && { namespace }) },
});

it('puts Namespaces, identities and RBAC before workloads, keeping file order within a kind', () => {
  const sorted = sortForInstall([
    obj('Deployment', 'a', 'ns'),
    obj('RoleBinding', 'rb', 'ns'),
    obj('Role', 'r', 'ns'),
    obj('ClusterRole', 'c2'),
    obj('Namespace', 'ns'),
    obj('ClusterRole', 'c1'),
    obj('ServiceAccount', 'sa', 'ns'),
  ]);
  assert.deepEqual(
    sorted.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      'Namespace/ns',
      'ServiceAccount/sa',
      'ClusterRole/c2',
      'ClusterRole/c1',
      'Role/r',
      'RoleBinding/rb',
      'Deployment/a',
    ],
  );
});

it('orders deploy/ so that each Namespace exists before the objects in it (slipway install --controller)', () => {
  const sorted = sortForInstall(readManifestDir(DEPLOY_DIR));
  const created = new Set<string>();
  for (const o of sorted) {
    if (o.metadata.namespace !== undefined) {
      assert.ok(created.has(o.metadata.namespace), `${o.kind} ${o.metadata.name} comes before its Namespace`);
    }
    if (o.kind === 'Namespace') created.add(o.metadata.name ?? '');
  }
});
