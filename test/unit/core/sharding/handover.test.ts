import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type KeyShardingAlgorithm,
  ManualClock,
  type MemberObservation,
  ownerOf,
  ShardCoordinator,
} from '../../../../src/core/index.js';
import { seededChoices } from '../../../support/seeded-random.js';

// The handover rule against a model API server (a map of member Leases) and a hand-moved clock:
// replicas renew (write their claim), list, start and finish keys in any interleaving; no key is ever
// being reconciled by two replicas, and once things settle every key has exactly one owner.

const LEASE_MS = 15_000;
const RENEW_DEADLINE_MS = 10_000;
const KEYS = Array.from({ length: 60 }, (_, i) => `ns-${i % 4}/obj-${i}`);

class Store {
  private version = 0;
  readonly leases = new Map<string, { claim: readonly string[]; version: number }>();
  write(identity: string, claim: readonly string[]): void {
    this.leases.set(identity, { claim, version: ++this.version });
  }
  remove(identity: string): void {
    this.leases.delete(identity);
  }
  list(): MemberObservation[] {
    return [...this.leases.entries()].map(([identity, l]) => ({
      identity,
      fingerprint: String(l.version),
      claim: l.claim,
      leaseDurationMs: LEASE_MS,
    }));
  }
}

class Replica {
  readonly coordinator: ShardCoordinator;
  readonly processing = new Set<string>();
  alive = true;
  lastWriteAt = 0;
  constructor(
    readonly identity: string,
    private readonly store: Store,
    private readonly clock: ManualClock,
    algorithm: KeyShardingAlgorithm,
  ) {
    this.coordinator = new ShardCoordinator({
      identity,
      algorithm,
      leaseDurationMs: LEASE_MS,
      renewDeadlineMs: RENEW_DEADLINE_MS,
    });
  }
  /** One renew: write the next claim, then list (as ShardMembership's tick). */
  renew(): void {
    const claim = this.coordinator.nextClaim(this.processing, this.clock.now());
    this.store.write(this.identity, claim);
    this.coordinator.written(claim, this.clock.now());
    this.lastWriteAt = this.clock.now();
    this.coordinator.listed(this.store.list(), this.clock.now());
  }
  writeOnly(): void {
    const claim = this.coordinator.nextClaim(this.processing, this.clock.now());
    this.store.write(this.identity, claim);
    this.coordinator.written(claim, this.clock.now());
    this.lastWriteAt = this.clock.now();
  }
  /** A write that timed out: the API server may (`stored`) or may not have kept it. */
  writeTimedOut(stored: boolean): void {
    const claim = this.coordinator.nextClaim(this.processing, this.clock.now());
    if (stored) this.store.write(this.identity, claim);
    this.coordinator.writeUncertain(claim);
  }
  listOnly(): void {
    this.coordinator.listed(this.store.list(), this.clock.now());
  }
  tryStart(key: string): boolean {
    if (!this.coordinator.mayProcess(key, this.clock.now())) return false;
    this.processing.add(key);
    return true;
  }
}

function world(algorithm: KeyShardingAlgorithm = 'consistent-hashing') {
  const clock = new ManualClock(1_000_000);
  const store = new Store();
  const replicas = new Map<string, Replica>();
  const add = (id: string) => {
    const r = new Replica(id, store, clock, algorithm);
    replicas.set(id, r);
    return r;
  };
  const owners = (key: string) =>
    [...replicas.values()].filter((r) => r.alive && r.coordinator.mayProcess(key, clock.now()));
  return { clock, store, replicas, add, owners };
}

describe('shard handover rule (fake clock)', () => {
  it('a lone replica owns every key after its first renew, not before', () => {
    const w = world();
    const a = w.add('a');
    assert.equal(a.tryStart(KEYS[0] as string), false);
    a.renew(); // claims [] (knew no one), lists: sees itself
    a.renew(); // claims [a]
    for (const k of KEYS) assert.ok(a.coordinator.mayProcess(k, w.clock.now()), k);
  });

  it('a joining replica takes a key only after its previous owner finished it and re-claimed', () => {
    const w = world();
    const a = w.add('a');
    a.renew();
    a.renew();
    const lostKey = KEYS.find((k) => ownerOf(k, ['a', 'b'], 'consistent-hashing') === 'b') as string;
    assert.ok(a.tryStart(lostKey));
    const b = w.add('b');
    b.renew();
    b.renew(); // claims [a, b], but a still claims [a]: gives a every key
    assert.equal(b.tryStart(lostKey), false);
    a.renew(); // sees b: stops starting b's keys at once, keeps its claim while lostKey runs
    assert.equal(a.coordinator.mayProcess(lostKey, w.clock.now()), false);
    assert.deepEqual(w.store.leases.get('a')?.claim, ['a']);
    b.renew();
    assert.equal(b.tryStart(lostKey), false, 'a is still reconciling it');
    a.processing.delete(lostKey);
    a.renew(); // now claims [a, b]
    assert.deepEqual(w.store.leases.get('a')?.claim, ['a', 'b']);
    assert.equal(b.tryStart(lostKey), false, "b has not listed a's new claim yet");
    b.renew();
    assert.ok(b.tryStart(lostKey));
    for (const k of KEYS) assert.equal(w.owners(k).length, 1, k);
  });

  it("a silent (SIGKILLed) member's keys are taken once its Lease was seen unchanged for the lease duration", () => {
    const w = world();
    const a = w.add('a');
    const b = w.add('b');
    for (let i = 0; i < 3; i++) for (const r of [a, b]) r.renew();
    const bKey = KEYS.find((k) => ownerOf(k, ['a', 'b'], 'consistent-hashing') === 'b') as string;
    assert.ok(b.tryStart(bKey));
    b.alive = false; // SIGKILL: its Lease stays, unchanged
    b.processing.clear();
    a.renew(); // the last time a sees b's Lease change
    w.clock.advance(LEASE_MS - 1);
    a.renew();
    a.renew();
    assert.equal(a.coordinator.mayProcess(bKey, w.clock.now()), false, 'b may still be alive');
    w.clock.advance(2);
    a.renew(); // b expired: a wants [a] and claims it at once (nothing of b's in flight here)
    a.renew();
    assert.ok(a.coordinator.mayProcess(bKey, w.clock.now()));
  });

  it('a released (SIGTERMed) member is gone at the next renew of the others', () => {
    const w = world();
    const a = w.add('a');
    const b = w.add('b');
    for (let i = 0; i < 3; i++) for (const r of [a, b]) r.renew();
    b.alive = false;
    w.store.remove('b');
    a.renew();
    a.renew();
    for (const k of KEYS) assert.ok(a.coordinator.mayProcess(k, w.clock.now()), k);
  });

  it('a replica that cannot renew for the renew deadline starts nothing, and claims nothing once idle', () => {
    const w = world();
    const a = w.add('a');
    a.renew();
    a.renew();
    assert.ok(a.tryStart(KEYS[0] as string));
    w.clock.advance(RENEW_DEADLINE_MS + 1);
    assert.equal(a.coordinator.mayProcess(KEYS[1] as string, w.clock.now()), false);
    assert.deepEqual(a.coordinator.nextClaim(a.processing, w.clock.now()), ['a'], 'busy: keeps its claim');
    a.processing.clear();
    assert.deepEqual(a.coordinator.nextClaim(a.processing, w.clock.now()), []);
  });

  it('after a write that timed out, starts only what the possibly stored claim also gives it', () => {
    const w = world();
    const a = w.add('a');
    a.renew();
    a.renew(); // claims [a]
    const b = w.add('b');
    b.renew();
    b.renew(); // claims [a, b]
    a.listOnly(); // sees b: wants [a, b]
    a.writeTimedOut(true); // stored, but a does not know it
    b.alive = false;
    w.store.remove('b'); // b leaves at once
    a.listOnly(); // wants [a] again; its Lease says [a, b]
    const k = KEYS.find(
      (key) =>
        ownerOf(key, ['a', 'b'], 'consistent-hashing') === 'b' &&
        ownerOf(key, ['a', 'c'], 'consistent-hashing') === 'c',
    ) as string;
    // a newcomer reading a's stored claim [a, b] sees nobody live holding k: it may take k
    const c = w.add('c');
    c.renew();
    c.renew();
    c.renew();
    assert.ok(c.tryStart(k), 'c takes k');
    assert.equal(a.tryStart(k), false, 'a must not: its stored claim may not cover k');
  });

  it('forgets members whose Lease nobody renewed for four lease durations', () => {
    const w = world();
    const a = w.add('a');
    const b = w.add('b');
    for (const r of [a, b, a]) r.renew();
    for (let t = 0; t < 4 * LEASE_MS; t += 2_000) {
      w.clock.advance(2_000);
      a.renew();
    }
    w.clock.advance(2_000);
    a.renew();
    assert.deepEqual(a.coordinator.forgotten(w.clock.now()), ['b']);
  });

  for (const algorithm of ['consistent-hashing', 'legacy'] as const)
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      it(`never lets two replicas reconcile one key, in any interleaving (${algorithm}, seed ${seed})`, () => {
        const w = world(algorithm);
        const rnd = seededChoices(seed);
        let next = 0;
        const spawn = () => w.add(`r${next++}`);
        for (let i = 0; i < 3; i++) spawn();
        for (let step = 0; step < 6_000; step++) {
          const live = [...w.replicas.values()].filter((r) => r.alive);
          const r = rnd.pick(live.length > 0 ? live : [spawn()]);
          const roll = rnd.random();
          if (roll < 0.15) r.renew();
          else if (roll < 0.2) r.writeOnly();
          else if (roll < 0.22) r.writeTimedOut(rnd.chance(0.5));
          else if (roll < 0.3) r.listOnly();
          else if (roll < 0.6) for (let i = 0; i < 5; i++) r.tryStart(rnd.pick(KEYS));
          else if (roll < 0.8 && r.processing.size > 0) r.processing.delete(rnd.pick([...r.processing]));
          else if (roll < 0.92) {
            w.clock.advance(rnd.int(3_000));
            // The documented assumption: a replica that could not renew for the renew deadline starts
            // nothing and its running reconciles end before the lease duration has passed.
            for (const x of w.replicas.values())
              if (w.clock.now() - x.lastWriteAt > RENEW_DEADLINE_MS) x.processing.clear();
          } else if (roll < 0.95 && live.length > 1) {
            r.alive = false; // SIGKILL
            r.processing.clear();
          } else if (roll < 0.98 && live.length > 1 && r.processing.size === 0) {
            r.alive = false; // SIGTERM after draining: Lease deleted
            w.store.remove(r.identity);
          } else if (live.length < 5) spawn();
          const holders = new Map<string, string>();
          for (const x of w.replicas.values())
            if (x.alive)
              for (const k of x.processing) {
                const other = holders.get(k);
                assert.equal(other, undefined, `step ${step}: ${k} reconciled by ${other} and ${x.identity}`);
                holders.set(k, x.identity);
              }
        }
        // settle: finish everything; every replica sees every Lease once, then the dead ones age out
        for (const r of w.replicas.values()) r.processing.clear();
        for (const r of w.replicas.values()) if (r.alive) r.renew();
        w.clock.advance(LEASE_MS + 1);
        for (let round = 0; round < 4; round++) for (const r of w.replicas.values()) if (r.alive) r.renew();
        for (const k of KEYS)
          assert.equal(
            w.owners(k).length,
            1,
            `${k} after settling: ${JSON.stringify(
              [...w.replicas.values()].filter((r) => r.alive).map((r) => r.coordinator.view(w.clock.now())),
              (_k, v) => (v instanceof Map ? [...v] : v),
            )}`,
          );
      });
});
