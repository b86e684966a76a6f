import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assignRoundRobin,
  type KeyShardingAlgorithm,
  ownerOf,
  type ShardingAlgorithm,
  sortedMembers,
} from '../../../../src/core/index.js';
import { readGolden } from '../../../support/golden.js';

interface AssignmentCase {
  readonly algorithm: ShardingAlgorithm;
  readonly members: readonly string[];
  readonly owners: Readonly<Record<string, string>>;
}

const keys = (n: number) => Array.from({ length: n }, (_, i) => `team-${i % 17}/rollout-${i}`);

function counts(units: readonly string[], members: readonly string[], algorithm: KeyShardingAlgorithm) {
  const out = new Map<string, number>(members.map((m) => [m, 0]));
  for (const u of units) {
    const owner = ownerOf(u, members, algorithm) as string;
    out.set(owner, (out.get(owner) ?? 0) + 1);
  }
  return out;
}

describe('shard assignment', () => {
  for (const c of readGolden<AssignmentCase[]>('sharding/assignment.json')) {
    it(`golden: ${c.algorithm} over ${c.members.join(',')}`, () => {
      const units = Object.keys(c.owners);
      const got =
        c.algorithm === 'round-robin'
          ? Object.fromEntries(assignRoundRobin(units, c.members))
          : Object.fromEntries(
              units.map((u) => [u, ownerOf(u, c.members, c.algorithm as KeyShardingAlgorithm)]),
            );
      assert.deepEqual(got, c.owners);
    });
  }

  it("legacy is Argo CD's FNV-32a of the unit modulo the member count; an empty unit is the first member", () => {
    // fnv32a("demo/web") = 0x…, mod 3 = 2 (computed with Go's hash/fnv semantics)
    assert.equal(ownerOf('demo/web', ['m0', 'm1', 'm2'], 'legacy'), 'm2');
    assert.equal(ownerOf('', ['m0', 'm1', 'm2'], 'legacy'), 'm0');
    assert.equal(ownerOf('anything', [], 'legacy'), undefined);
  });

  it('consistent hashing is balanced within 10 % over 3 and 5 members', () => {
    const units = keys(6000);
    for (const members of [
      ['a', 'b', 'c'],
      ['slipway-7d9f-1', 'slipway-7d9f-2', 'slipway-7d9f-3', 'slipway-7d9f-4', 'slipway-7d9f-5'],
    ]) {
      const fair = units.length / members.length;
      for (const [member, n] of counts(units, members, 'consistent-hashing'))
        assert.ok(Math.abs(n - fair) < fair * 0.1, `${member} owns ${n} of ${units.length}, fair is ${fair}`);
    }
  });

  it('consistent hashing moves only the departed member’s units, and about 1/n to a joining one', () => {
    const units = keys(3000);
    const before = ['a', 'b', 'c'];
    const without = ['a', 'b'];
    for (const u of units) {
      const owner = ownerOf(u, before, 'consistent-hashing');
      if (owner !== 'c') assert.equal(ownerOf(u, without, 'consistent-hashing'), owner, u);
    }
    const joined = ['a', 'b', 'c', 'd'];
    let moved = 0;
    for (const u of units) {
      const now = ownerOf(u, joined, 'consistent-hashing');
      if (now !== ownerOf(u, before, 'consistent-hashing')) {
        moved++;
        assert.equal(now, 'd', `${u} moved between old members`);
      }
    }
    assert.ok(moved > units.length * 0.2 && moved < units.length * 0.3, `moved ${moved} of ${units.length}`);
  });

  it('legacy moves most units when a member joins (why consistent hashing is the default)', () => {
    const units = keys(3000);
    const moved = units.filter(
      (u) => ownerOf(u, ['a', 'b', 'c'], 'legacy') !== ownerOf(u, ['a', 'b', 'c', 'd'], 'legacy'),
    ).length;
    assert.ok(moved > units.length * 0.5, `moved ${moved}`);
  });

  it('is stable: the same unit and members give the same owner, whatever order members were found in', () => {
    const a = sortedMembers(['c', 'a', 'b', 'a']);
    const b = sortedMembers(['b', 'c', 'a']);
    assert.deepEqual(a, ['a', 'b', 'c']);
    for (const u of keys(200))
      for (const alg of ['legacy', 'consistent-hashing'] as const)
        assert.equal(ownerOf(u, a, alg), ownerOf(u, b, alg));
  });

  it("round-robin ranks the sorted units over the members (Argo CD's rule), balanced to ±1", () => {
    const got = assignRoundRobin(['c', 'a', 'd', 'b', 'e', 'a'], ['m1', 'm2']);
    assert.deepEqual(Object.fromEntries(got), { a: 'm1', b: 'm2', c: 'm1', d: 'm2', e: 'm1' });
    assert.equal(assignRoundRobin(['a'], []).size, 0);
  });
});
