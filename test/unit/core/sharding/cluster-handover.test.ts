import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ClusterClaim,
  ClusterClaims,
  decodeClusterClaim,
  encodeClusterClaim,
} from '../../../../src/core/index.js';
import { seededChoices } from '../../../support/seeded-random.js';

// The cluster claim rule against a model of the member Leases: three replicas whose views of the
// assignment (cluster → replica) lag behind each other by any amount, renewing, listing, starting and
// finishing keys in random interleavings. Never two replicas on one key; once views agree and work
// drains, every key is started only by its cluster's owner.

const REPLICAS = ['a', 'b', 'c'] as const;
const CLUSTERS = ['https://one', 'https://two', 'https://three', 'https://four', ''];
const KEYS = CLUSTERS.flatMap((c, i) => [0, 1, 2].map((j) => ({ key: `argocd/app-${i}-${j}`, unit: c })));
const unitOf = (key: string) => KEYS.find((k) => k.key === key)?.unit;

class Replica {
  readonly claims = new ClusterClaims(0);
  readonly processing = new Set<string>();
  view = 0;
  constructor(
    readonly id: string,
    private readonly leases: Map<string, string>,
  ) {}
  desired(assignments: readonly ReadonlyMap<string, string>[]): Set<string> {
    const a = assignments[this.view] as ReadonlyMap<string, string>;
    return new Set(CLUSTERS.filter((c) => a.get(c) === this.id));
  }
  renew(assignments: readonly ReadonlyMap<string, string>[], now: number): void {
    const claim = this.claims.nextClaim(this.processing, unitOf, false);
    this.leases.set(this.id, encodeClusterClaim(claim));
    this.claims.written(claim);
    this.list(assignments, now);
  }
  list(assignments: readonly ReadonlyMap<string, string>[], now: number): void {
    const others = new Map<string, ClusterClaim>();
    for (const [id, text] of this.leases) if (id !== this.id) others.set(id, decodeClusterClaim(text));
    this.claims.listed(others, this.desired(assignments), now);
  }
}

function randomAssignment(pick: <T>(items: readonly T[]) => T): ReadonlyMap<string, string> {
  return new Map(CLUSTERS.map((c) => [c, pick(REPLICAS)]));
}

describe('cluster claims (handover with clusters as the unit)', () => {
  for (let seed = 1; seed <= 20; seed++)
    it(`never two replicas on one key; settles to the owners (schedule ${seed})`, () => {
      const r = seededChoices(seed);
      const leases = new Map<string, string>();
      const replicas = REPLICAS.map((id) => new Replica(id, leases));
      const assignments = [randomAssignment(r.pick)];
      let now = 0;
      const holders = new Map<string, string>();
      for (let step = 0; step < 4000; step++) {
        now += r.int(500);
        const rep = r.pick(replicas);
        const op = r.int(10);
        if (op === 0) assignments.push(randomAssignment(r.pick));
        else if (op === 1) rep.view = Math.min(assignments.length - 1, rep.view + 1 + r.int(2));
        else if (op <= 3) rep.renew(assignments, now);
        else if (op === 4) rep.list(assignments, now);
        else if (op <= 7) {
          const { key, unit } = r.pick(KEYS);
          if (rep.processing.has(key)) continue;
          if (rep.claims.admit(key, unit, now, false)) {
            assert.equal(
              holders.get(key),
              undefined,
              `${key} started by ${rep.id} while ${holders.get(key)} runs it`,
            );
            holders.set(key, rep.id);
            rep.processing.add(key);
          }
        } else {
          const key = r.pick([...rep.processing, '']);
          if (key === '') continue;
          rep.processing.delete(key);
          holders.delete(key);
        }
      }
      // settle: everyone sees the latest assignment, work drains, a few renews
      for (const rep of replicas) {
        rep.view = assignments.length - 1;
        for (const k of rep.processing) holders.delete(k);
        rep.processing.clear();
      }
      for (let i = 0; i < 3; i++)
        for (const rep of replicas) {
          now += 100;
          rep.renew(assignments, now);
        }
      const latest = assignments.at(-1) as ReadonlyMap<string, string>;
      for (const { key, unit } of KEYS)
        for (const rep of replicas)
          assert.equal(
            rep.claims.mayProcess(key, unit, now, false),
            latest.get(unit) === rep.id,
            `${key} on ${rep.id}`,
          );
    });

  it('a key whose cluster changes waits; the old owner lists it as moving until its reconcile ends', () => {
    const leases = new Map<string, string>();
    let unit = 'https://one';
    const owners = new Map([
      ['https://one', 'a'],
      ['https://two', 'b'],
    ]);
    const mk = (id: string) => {
      const c = new ClusterClaims(15_000);
      const processing = new Set<string>();
      const renew = (now: number) => {
        const claim = c.nextClaim(processing, () => unit, false);
        leases.set(id, encodeClusterClaim(claim));
        c.written(claim);
        const others = new Map(
          [...leases].filter(([o]) => o !== id).map(([o, t]) => [o, decodeClusterClaim(t)] as const),
        );
        c.listed(others, new Set([...owners].filter(([, o]) => o === id).map(([u]) => u)), now);
      };
      return { c, processing, renew };
    };
    const a = mk('a');
    const b = mk('b');
    for (const t of [0, 100]) {
      a.renew(t);
      b.renew(t);
    }
    assert.equal(b.c.mayProcess('argocd/app', unit, 200, false), false);
    assert.ok(a.c.admit('argocd/app', unit, 200, false));
    a.processing.add('argocd/app');
    unit = 'https://two';
    // b sees the change at once but waits; a stops starting it and says it is still running it
    assert.equal(b.c.mayProcess('argocd/app', unit, 300, false), false);
    assert.equal(a.c.mayProcess('argocd/app', unit, 300, false), false);
    a.renew(2_000);
    b.renew(2_000);
    assert.deepEqual(decodeClusterClaim(leases.get('a')).moving, ['argocd/app']);
    assert.equal(b.c.mayProcess('argocd/app', unit, 20_000, false), false);
    a.processing.delete('argocd/app');
    a.renew(21_000);
    b.renew(21_000);
    assert.ok(b.c.admit('argocd/app', unit, 21_000, false));
  });
});
