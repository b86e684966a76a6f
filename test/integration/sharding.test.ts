import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHARD_CLAIM_ANNOTATION, SHARD_GROUP_LABEL } from '../../src/core/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { ShippedControllerProcess } from '../support/fixtures/shipped-controller-process.js';
import { TestRepo } from '../support/git/repo.js';
import { application } from '../support/git/sync-harness.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// Three `slipway controller --leader-elect` processes (the shipped command) share 30 Rollouts and 6
// Applications. From their debug logs (one "reconcile started"/"reconcile finished" pair per reconcile,
// with the key and the process's clock): once all three are members every object is reconciled by
// exactly one of them; nothing is ever reconciled by two at once; a SIGKILLed replica's objects are
// picked up once its Lease has been silent for the lease duration, a SIGTERMed one's at once (its
// Lease is deleted).

const ROLLOUTS = Array.from({ length: 30 }, (_, i) => `web-${i}`);
const APPS = Array.from({ length: 6 }, (_, i) => `app-${i}`);
const ROLLOUT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;

interface Reconcile {
  readonly replica: string;
  readonly controller: string;
  readonly key: string;
  readonly start: number;
  end?: number;
}

type RolloutObject = KubeObject & {
  spec: { template: { spec: { containers: { name: string; image: string }[] } } };
  status?: { phase?: string; stableRS?: string; currentPodHash?: string; observedGeneration?: string };
};

const rollout = (namespace: string, name: string, image: string) => ({
  ...ROLLOUT,
  metadata: { namespace, name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image }] },
    },
    strategy: { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '1s' } }] } },
  },
});

class Replica {
  identity = '';
  metricsPort = 0;
  proc: ShippedControllerProcess | undefined;
  constructor(
    readonly name: string,
    private readonly log: Reconcile[],
  ) {}
  private readonly open = new Map<string, Reconcile>();

  async start(namespace: string): Promise<void> {
    this.proc = await ShippedControllerProcess.start(
      'rollouts,sync',
      namespace,
      { ...process.env },
      {
        args: ['--leader-elect', '--leader-election-namespace', namespace, '--log-level', 'debug'],
        onLine: (line) => this.onLine(line),
      },
    );
  }

  private onLine(line: string): void {
    if (!line.startsWith('{')) return;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const msg = entry.msg;
    if (msg === 'controller started') {
      this.identity = String(entry.shardIdentity ?? '');
      this.metricsPort = Number(entry.metricsPort);
    }
    const id = String(entry.reconcileID ?? '');
    if (msg === 'reconcile started') {
      const r: Reconcile = {
        replica: this.name,
        controller: String(entry.controller),
        key: String(entry.key),
        start: Date.parse(String(entry.time)),
      };
      this.open.set(id, r);
      this.log.push(r);
    } else if (msg === 'reconcile finished') {
      const r = this.open.get(id);
      if (r) r.end = Date.parse(String(entry.time));
      this.open.delete(id);
    }
  }

  /** A reconcile still running when the process died ends then (for the overlap check). */
  closeOpen(at: number): void {
    for (const r of this.open.values()) r.end = at;
    this.open.clear();
  }

  async metric(name: string): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`);
    const text = await res.text();
    return text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .join('\n');
  }
}

/** Pairs of reconciles of one object by two replicas that overlap in time. */
function overlaps(log: readonly Reconcile[]): string[] {
  const byObject = new Map<string, Reconcile[]>();
  for (const r of log) {
    const k = `${r.controller}|${r.key}`;
    byObject.set(k, [...(byObject.get(k) ?? []), r]);
  }
  const out: string[] = [];
  for (const [k, rs] of byObject)
    for (const a of rs)
      for (const b of rs)
        if (a.replica < b.replica && a.start <= (b.end ?? Infinity) && b.start <= (a.end ?? Infinity))
          out.push(`${k}: ${a.replica} [${a.start}, ${a.end}] and ${b.replica} [${b.start}, ${b.end}]`);
  return out;
}

describe('sharding: three controller replicas share the objects', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  const log: Reconcile[] = [];
  const replicas = ['r1', 'r2', 'r3'].map((n) => new Replica(n, log));

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'sharding');
    repo = TestRepo.create(
      Object.fromEntries(
        APPS.map((a) => [
          `${a}/cm.yaml`,
          `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${a}-config}\ndata: {app: ${a}}\n`,
        ]),
      ),
    );
  });
  after(async () => {
    for (const p of ShippedControllerProcess.all) await p.stop('SIGKILL');
    await ns?.delete();
    repo?.dispose();
    client?.close();
  });

  const getRollout = (name: string) => client.get<RolloutObject>({ ...ROLLOUT, namespace: ns.name, name });
  const reconcilersOf = (controller: string, key: string, since: number) =>
    new Set(
      log
        .filter((r) => r.controller === controller && r.key === key && r.start >= since)
        .map((r) => r.replica),
    );

  it('every object is reconciled by exactly one replica, and a killed replica’s share moves', async () => {
    await Promise.all(replicas.map((r) => r.start(ns.name)));
    await eventually(
      'three member Leases claiming the same three members',
      async () => {
        const leases = await client.list<KubeObject>(LEASE, {
          namespace: ns.name,
          labelSelector: `${SHARD_GROUP_LABEL}=slipway-controller`,
        });
        const claims = leases.items.map((l) => l.metadata.annotations?.[SHARD_CLAIM_ANNOTATION] ?? '');
        return claims.length === 3 && claims.every((c) => c.split(',').length === 3 && c === claims[0]);
      },
      120_000,
      500,
    );
    for (const r of replicas) assert.match(await r.metric('slipway_shard_members'), / 3$/m);

    const settled = Date.now();
    for (const name of ROLLOUTS) await client.create(rollout(ns.name, name, 'nginx:1.0'));
    for (const name of APPS)
      await client.create(
        application(ns.name, name, {
          source: { repoURL: repo.url, targetRevision: 'HEAD', path: name },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        }),
      );
    await eventually(
      'every Rollout Healthy and every Application Synced',
      async () => {
        for (const name of ROLLOUTS) if ((await getRollout(name)).status?.phase !== 'Healthy') return false;
        for (const name of APPS) {
          const a = await client.get<Application>({ ...APP, namespace: ns.name, name });
          if (a.status?.sync?.status !== 'Synced' || a.status.health?.status !== 'Healthy') return false;
        }
        return true;
      },
      180_000,
      1_000,
    );

    const owner = new Map<string, string>();
    for (const [controller, names] of [
      ['rollouts', ROLLOUTS],
      ['sync', APPS],
    ] as const)
      for (const name of names) {
        const key = `${ns.name}/${name}`;
        const by = reconcilersOf(controller, key, settled);
        assert.equal(by.size, 1, `${controller} ${key} reconciled by ${[...by].join(', ') || 'nobody'}`);
        owner.set(`${controller}|${key}`, [...by][0] as string);
      }
    const share = (replica: string) => [...owner.entries()].filter(([, r]) => r === replica).map(([k]) => k);
    for (const r of replicas)
      assert.ok(share(r.name).length > 0, `${r.name} owns nothing: ${JSON.stringify([...owner])}`);
    const owned = await Promise.all(replicas.map((r) => r.metric('slipway_shard_owned_objects')));
    console.log(`owned objects per replica:\n${owned.join('\n')}`);

    // SIGKILL the first replica: its Lease stays; the others take its objects once it has been silent
    const victim = replicas[0] as Replica;
    const lost = share(victim.name).filter((k) => k.startsWith('rollouts|'));
    const killedAt = Date.now();
    await victim.proc?.stop('SIGKILL');
    victim.closeOpen(Date.now());
    for (const k of lost.slice(0, 3)) {
      const name = k.split('/')[1] as string;
      const r = await getRollout(name);
      r.spec.template.spec.containers[0]!.image = 'nginx:2.0';
      await client.replace(r);
    }
    await eventually(
      "the killed replica's Rollouts reconciled by the others",
      () => lost.every((k) => reconcilersOf('rollouts', k.split('|')[1] as string, killedAt).size > 0),
      120_000,
      500,
    );
    const pickedUp = Math.max(
      ...lost.map((k) =>
        Math.min(
          ...log.filter((r) => `${r.controller}|${r.key}` === k && r.start >= killedAt).map((r) => r.start),
        ),
      ),
    );
    console.log(`SIGKILL: last of ${lost.length} Rollouts picked up after ${pickedUp - killedAt} ms`);
    await eventually(
      'the updated Rollouts Healthy on the new image',
      async () => {
        for (const k of lost.slice(0, 3)) {
          const r = await getRollout(k.split('/')[1] as string);
          if (r.status?.phase !== 'Healthy' || r.status.stableRS !== r.status.currentPodHash) return false;
          if (r.spec.template.spec.containers[0]?.image !== 'nginx:2.0') return false;
        }
        return true;
      },
      120_000,
      1_000,
    );

    // SIGTERM the second: it deletes its Lease, the last one takes everything at its next renew
    const leaving = replicas[1] as Replica;
    const leasesBefore = await client.list<KubeObject>(LEASE, { namespace: ns.name });
    assert.ok(leasesBefore.items.some((l) => l.metadata.name === `slipway-shard-${leaving.identity}`));
    const termAt = Date.now();
    await leaving.proc?.stop('SIGTERM');
    leaving.closeOpen(Date.now());
    const leasesAfter = await client.list<KubeObject>(LEASE, { namespace: ns.name });
    assert.ok(
      !leasesAfter.items.some((l) => l.metadata.name === `slipway-shard-${leaving.identity}`),
      'a SIGTERMed replica deletes its Lease',
    );
    const survivor = replicas[2] as Replica;
    // the Rollouts the leaving replica reconciled last
    const lastBy = new Map<string, string>();
    for (const r of log) if (r.controller === 'rollouts' && r.start < termAt) lastBy.set(r.key, r.replica);
    const handed = [...lastBy.entries()].filter(([, r]) => r === leaving.name).map(([k]) => k);
    assert.ok(handed.length > 0, 'the leaving replica had Rollouts');
    await eventually(
      'the last replica owns and has reconciled every Rollout the leaving one had',
      async () =>
        handed.every((k) => reconcilersOf('rollouts', k, termAt).has(survivor.name)) &&
        / 30$/m.test(await survivor.metric('slipway_shard_owned_objects{controller="rollouts"}')),
      120_000,
      500,
    );
    const firsts = handed.map((k) =>
      Math.min(
        ...log
          .filter((r) => r.key === k && r.replica === survivor.name && r.start >= termAt)
          .map((r) => r.start),
      ),
    );
    console.log(
      `SIGTERM: last of ${handed.length} Rollouts picked up after ${Math.max(...firsts) - termAt} ms`,
    );
    assert.match(await survivor.metric('slipway_shard_members'), / 1$/m);

    survivor.closeOpen(Date.now());
    assert.deepEqual(overlaps(log), [], 'no object reconciled by two replicas at once');
    console.log(`reconciles checked for overlap: ${log.length}`);
  });
});
