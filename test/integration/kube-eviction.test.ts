import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDisruptionBudget, isNotFound, type KubeClient, type KubeObject } from '../../src/kube/index.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const PDB = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' } as const;

describe('kube client: pod eviction (policy/v1)', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };

  before(async () => {
    client = testClient();
    ns = await testNamespace(client, 'evict');
  });
  after(async () => {
    await ns.delete();
    client.close();
  });

  it('is refused with a typed error while a disruption budget forbids it, and evicts once allowed', async () => {
    await client.create({
      ...POD,
      metadata: { name: 'guarded', namespace: ns.name, labels: { app: 'guarded' } },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:v1' }] },
    });
    await client.create({
      ...PDB,
      metadata: { name: 'all', namespace: ns.name },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
    });
    // The disruption controller must have judged the budget before the API server enforces it.
    await eventually(
      'the budget to be observed',
      async () => {
        const pdb = await client.get<KubeObject & { status?: { observedGeneration?: number } }>({
          ...PDB,
          namespace: ns.name,
          name: 'all',
        });
        return (pdb.status?.observedGeneration ?? 0) >= 1;
      },
      120_000,
      250,
    );
    const refused = await eventually(
      'the eviction to be refused by the budget',
      async () => {
        try {
          await client.evict({ namespace: ns.name, name: 'guarded' }, { dryRun: true });
          return undefined;
        } catch (err) {
          return isDisruptionBudget(err) ? err : undefined;
        }
      },
      120_000,
      250,
    );
    assert.equal(refused.httpStatus, 429);
    assert.match(refused.message, /disruption budget/);
    assert.equal(refused.object?.name, 'guarded');

    await client.delete({ ...PDB, namespace: ns.name, name: 'all' });
    await eventually(
      'the eviction to go through',
      async () => {
        await client.evict({ namespace: ns.name, name: 'guarded' });
        return true;
      },
      120_000,
      250,
    );
    await eventually(
      'the evicted pod to be deleted',
      async () => {
        try {
          const pod = await client.get({ ...POD, namespace: ns.name, name: 'guarded' });
          return pod.metadata.deletionTimestamp !== undefined;
        } catch (err) {
          return isNotFound(err);
        }
      },
      120_000,
      250,
    );
  });

  it('reports a missing pod as NotFound', async () => {
    await assert.rejects(client.evict({ namespace: ns.name, name: 'absent' }), isNotFound);
  });
});
