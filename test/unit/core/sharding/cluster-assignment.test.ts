import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ClusterShardingAlgorithm,
  clusterShards,
  parseShardField,
  type ShardCluster,
} from '../../../../src/core/index.js';
import { readGolden } from '../../../support/golden.js';

interface ClusterCase {
  readonly name: string;
  readonly algorithm: ClusterShardingAlgorithm;
  readonly replicas: number;
  readonly clusters: readonly ShardCluster[];
  readonly appsPerServer: Readonly<Record<string, number>>;
  readonly expected: readonly number[];
}

describe('cluster shard assignment (Argo CD controller sharding)', () => {
  for (const c of readGolden<ClusterCase[]>('sharding/clusters.json')) {
    it(`golden: ${c.name}`, () => {
      const table = clusterShards(
        c.clusters,
        c.replicas,
        c.algorithm,
        new Map(Object.entries(c.appsPerServer)),
      );
      assert.deepEqual(
        c.clusters.map((cl) => table.shards.get(cl.server)),
        c.expected,
      );
    });
  }

  it('consistent-hashing: 133 clusters over 3 shards are within 10 % of the average; going to 2 shards moves only shard 2', () => {
    const clusters = Array.from({ length: 133 }, (_, i) => {
      const id = String(i).padStart(6, '0');
      return { id, server: `https://kubernetes.default.svc?${id}` };
    });
    const three = clusterShards(clusters, 3, 'consistent-hashing').shards;
    const counts = [0, 0, 0];
    for (const s of three.values()) counts[s] = (counts[s] as number) + 1;
    for (const n of counts) assert.ok(n >= (133 / 3) * 0.9 && n <= (133 / 3) * 1.1, `${counts}`);
    const two = clusterShards(clusters, 2, 'consistent-hashing').shards;
    for (const c of clusters)
      if (three.get(c.server) !== 2) assert.equal(two.get(c.server), three.get(c.server), c.id);
  });

  it('consistent-hashing balances Applications, not clusters (bounded loads)', () => {
    const clusters = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, server: `https://${id}` }));
    const apps = new Map(clusters.map((c, i) => [c.server, i === 0 ? 600 : 60]));
    const { shards } = clusterShards(clusters, 3, 'consistent-hashing', apps);
    const big = shards.get('https://a');
    // the 600-app cluster's shard takes no other cluster once it is over the bound
    for (const c of clusters.slice(1)) assert.notEqual(shards.get(c.server), big, c.id);
  });

  it('no replicas: no shard; the `shard` field reads as strconv.Atoi does', () => {
    assert.equal(clusterShards([{ id: '1', server: 's' }], 0, 'legacy').shards.size, 0);
    assert.equal(parseShardField('2'), 2);
    assert.equal(parseShardField('+1'), 1);
    assert.equal(parseShardField(' 1'), undefined);
    assert.equal(parseShardField('one'), undefined);
    assert.equal(parseShardField(undefined), undefined);
  });

  it('reports pinned shards out of range', () => {
    const t = clusterShards([{ id: '1', server: 's1', shard: 3 }], 2, 'round-robin');
    assert.deepEqual(t.outOfRange, ['s1']);
    assert.equal(t.shards.get('s1'), 0);
  });
});
