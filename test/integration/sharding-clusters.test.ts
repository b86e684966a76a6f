import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { clusterSecret } from '../../src/clusters/index.js';
import {
  decodeClusterClaim,
  SHARD_CLAIM_ANNOTATION,
  SHARD_CLUSTER_CLAIM_ANNOTATION,
  SHARD_GROUP_LABEL,
} from '../../src/core/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { ShippedControllerProcess } from '../support/fixtures/shipped-controller-process.js';
import { TestRepo } from '../support/git/repo.js';
import { application } from '../support/git/sync-harness.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

// Clusters as the unit (Argo CD's round-robin): three `slipway controller --leader-elect
// --sharding-algorithm round-robin` processes share 9 Applications over 3 clusters. The clusters are
// the in-cluster plus the shared control plane registered twice more through cluster Secrets, as
// https://127.0.0.1:PORT ("east") and https://localhost:PORT ("west", pinned with `shard: "0"`): extra
// control planes would cost ~1 CPU each on this machine, and sharding only looks at the registrations.
// From the debug logs: each cluster's Applications are reconciled by exactly one replica, the one
// Argo's rule names (shard N = the N-th member by identity); the pin is honoured; a SIGKILLed
// replica's clusters move once its Lease is silent for the lease duration; no Application is ever
// reconciled by two replicas at once.

const BIN = fileURLToPath(new URL('../../bin/slipway.js', import.meta.url));
const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;
const IN_CLUSTER = 'https://kubernetes.default.svc';

interface Reconcile {
  readonly replica: string;
  readonly key: string;
  readonly start: number;
  end?: number;
}

class Replica {
  identity = '';
  metricsPort = 0;
  proc: ShippedControllerProcess | undefined;
  private readonly open = new Map<string, Reconcile>();
  constructor(
    readonly name: string,
    private readonly log: Reconcile[],
  ) {}

  async start(namespace: string): Promise<void> {
    this.proc = await ShippedControllerProcess.start(
      'sync',
      namespace,
      { ...process.env },
      {
        args: [
          '--leader-elect',
          '--leader-election-namespace',
          namespace,
          '--sharding-algorithm',
          'round-robin',
          '--log-level',
          'debug',
        ],
        onLine: (line) => this.onLine(line),
      },
    );
  }

  private onLine(line: string): void {
    if (!line.startsWith('{')) return;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (e.msg === 'controller started') {
      this.identity = String(e.shardIdentity ?? '');
      this.metricsPort = Number(e.metricsPort);
    }
    if (e.controller !== 'sync') return;
    const id = String(e.reconcileID ?? '');
    if (e.msg === 'reconcile started') {
      const r: Reconcile = { replica: this.name, key: String(e.key), start: Date.parse(String(e.time)) };
      this.open.set(id, r);
      this.log.push(r);
    } else if (e.msg === 'reconcile finished') {
      const r = this.open.get(id);
      if (r) r.end = Date.parse(String(e.time));
      this.open.delete(id);
    }
  }

  closeOpen(at: number): void {
    for (const r of this.open.values()) r.end = at;
    this.open.clear();
  }

  async metric(name: string): Promise<string> {
    const text = await (await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .join('\n');
  }
}

function overlaps(log: readonly Reconcile[]): string[] {
  const out: string[] = [];
  for (const a of log)
    for (const b of log)
      if (
        a.key === b.key &&
        a.replica < b.replica &&
        a.start <= (b.end ?? Infinity) &&
        b.start <= (a.end ?? Infinity)
      )
        out.push(`${a.key}: ${a.replica} [${a.start}, ${a.end}] and ${b.replica} [${b.start}, ${b.end}]`);
  return out;
}

describe('sharding by cluster: three replicas, Argo CD round-robin, a pinned cluster', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  const log: Reconcile[] = [];
  const replicas = ['r1', 'r2', 'r3'].map((n) => new Replica(n, log));
  const servers = { 'in-cluster': IN_CLUSTER, east: '', west: '' };
  const appsOf = (cluster: keyof typeof servers) => [0, 1, 2].map((i) => `${cluster}-${i}`);
  const ALL = [...appsOf('in-cluster'), ...appsOf('east'), ...appsOf('west')];

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'shard-clusters');
    repo = TestRepo.create(
      Object.fromEntries(
        ALL.map((a) => [
          `${a}/cm.yaml`,
          `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${a}-config}\ndata: {app: ${a}}\n`,
        ]),
      ),
    );
    const kubeconfig = parse(readFileSync(testKubeconfigPath(), 'utf8')) as {
      clusters: { cluster: { server: string } }[];
      users: { user: { token?: string } }[];
    };
    const server = kubeconfig.clusters[0]?.cluster.server as string;
    const token = kubeconfig.users[0]?.user.token as string;
    servers.east = server;
    servers.west = server.replace('127.0.0.1', 'localhost');
    const config = { bearerToken: token, tlsClientConfig: { insecure: true } };
    await client.create(clusterSecret({ name: 'east', server: servers.east, config }, ns.name));
    await client.create(clusterSecret({ name: 'west', server: servers.west, config, shard: 0 }, ns.name));
  });
  after(async () => {
    for (const p of ShippedControllerProcess.all) await p.stop('SIGKILL');
    await ns?.delete();
    repo?.dispose();
    client?.close();
  });

  const reconcilers = (key: string, since: number) =>
    new Set(log.filter((r) => r.key === key && r.start >= since).map((r) => r.replica));
  const byIdentity = (identity: string) => replicas.find((r) => r.identity === identity) as Replica;

  it("each cluster's Applications go to one replica, Argo's round-robin with the pin; a killed replica's clusters move", async () => {
    await Promise.all(replicas.map((r) => r.start(ns.name)));
    await eventually(
      'three member Leases, each claiming its clusters',
      async () => {
        const leases = await client.list<KubeObject>(LEASE, {
          namespace: ns.name,
          labelSelector: `${SHARD_GROUP_LABEL}=slipway-controller`,
        });
        const members = leases.items.map((l) => l.metadata.annotations?.[SHARD_CLAIM_ANNOTATION] ?? '');
        const claimed = leases.items.flatMap(
          (l) => decodeClusterClaim(l.metadata.annotations?.[SHARD_CLUSTER_CLAIM_ANNOTATION]).units,
        );
        // all three work under the same three members, and each cluster is claimed exactly once
        return (
          leases.items.length === 3 &&
          members.every((m) => m.split(',').length === 3 && m === members[0]) &&
          [IN_CLUSTER, servers.east, servers.west, ''].every(
            (s) => claimed.filter((c) => c === s).length === 1,
          )
        );
      },
      120_000,
      500,
    );
    const members = replicas.map((r) => r.identity).sort();

    const settled = Date.now();
    for (const [cluster, server] of Object.entries(servers))
      for (const name of appsOf(cluster as keyof typeof servers))
        await client.create(
          application(ns.name, name, {
            source: { repoURL: repo.url, targetRevision: 'HEAD', path: name },
            destination: { server, namespace: ns.name },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          }),
        );
    await eventually(
      'every Application Synced and Healthy',
      async () => {
        for (const name of ALL) {
          const a = await client.get<Application>({ ...APP, namespace: ns.name, name });
          if (a.status?.sync?.status !== 'Synced' || a.status.health?.status !== 'Healthy') return false;
        }
        return true;
      },
      180_000,
      1_000,
    );

    // Argo's round-robin: clusters ranked by id (the in-cluster's is empty, then Secret uids), shard =
    // rank mod 3; west is pinned to shard 0; shard N is the N-th member by identity
    const secrets = await client.list<KubeObject>(
      { apiVersion: 'v1', kind: 'Secret' },
      { namespace: ns.name, labelSelector: 'argocd.argoproj.io/secret-type=cluster' },
    );
    const uidOf = (name: string) => secrets.items.find((s) => s.metadata.name?.includes(name))?.metadata.uid;
    const eastHost = new URL(servers.east).hostname;
    const ranked = ['', uidOf(eastHost) as string, uidOf('localhost') as string].sort();
    const expected = {
      'in-cluster': members[0],
      east: members[ranked.indexOf(uidOf(eastHost) as string) % 3],
      west: members[0],
    };
    const ownerOfCluster = new Map<string, Replica>();
    for (const cluster of ['in-cluster', 'east', 'west'] as const) {
      const by = new Set(appsOf(cluster).flatMap((a) => [...reconcilers(`${ns.name}/${a}`, settled)]));
      assert.equal(by.size, 1, `${cluster}'s Applications reconciled by ${[...by].join(', ') || 'nobody'}`);
      const owner = replicas.find((r) => r.name === [...by][0]) as Replica;
      assert.equal(
        owner.identity,
        expected[cluster],
        `${cluster} on shard ${members.indexOf(owner.identity)}`,
      );
      ownerOfCluster.set(cluster, owner);
    }
    for (const r of replicas)
      console.log(
        `${r.name} shard ${members.indexOf(r.identity)}: ${await r.metric('slipway_shard_owned_clusters')}`,
      );

    // `slipway cluster list` shows the pin; `slipway cluster shards` who holds what
    const list = spawnSync(
      process.execPath,
      [BIN, 'cluster', 'list', '-n', ns.name, '--kubeconfig', testKubeconfigPath()],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /SHARD/);
    assert.match(list.stdout, new RegExp(`${servers.west}\\s.*\\s0\\s*$`, 'm'));
    const shards = spawnSync(
      process.execPath,
      [
        BIN,
        'cluster',
        'shards',
        '-n',
        ns.name,
        '--leader-election-namespace',
        ns.name,
        '--kubeconfig',
        testKubeconfigPath(),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(shards.status, 0, shards.stderr);
    console.log(shards.stdout);
    assert.match(shards.stdout, new RegExp(`^0\\s+${members[0]}\\s+2\\s+6\\b`, 'm'));

    // SIGKILL the replica holding east (shard 1 or 2): after its Lease is silent for the lease
    // duration, east goes to a survivor (round-robin over two members)
    const victim = ownerOfCluster.get('east') as Replica;
    assert.notEqual(victim.identity, members[0]);
    const killedAt = Date.now();
    await victim.proc?.stop('SIGKILL');
    victim.closeOpen(Date.now());
    for (const name of appsOf('east')) {
      await client.patch(
        { ...APP, namespace: ns.name, name },
        { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
        { type: 'merge' },
      );
    }
    await eventually(
      "east's Applications reconciled by a survivor",
      () => appsOf('east').every((a) => reconcilers(`${ns.name}/${a}`, killedAt).size > 0),
      120_000,
      500,
    );
    const pickedUp = Math.max(
      ...appsOf('east').map((a) =>
        Math.min(
          ...log.filter((r) => r.key === `${ns.name}/${a}` && r.start >= killedAt).map((r) => r.start),
        ),
      ),
    );
    console.log(
      `SIGKILL: east's Applications picked up after ${pickedUp - killedAt} ms (lease duration 15 s)`,
    );
    const survivors = members.filter((m) => m !== victim.identity);
    const eastRank = [...ranked].indexOf(uidOf(eastHost) as string);
    const newOwner = byIdentity(survivors[eastRank % 2] as string);
    assert.deepEqual(
      new Set(appsOf('east').flatMap((a) => [...reconcilers(`${ns.name}/${a}`, killedAt)])),
      new Set([newOwner.name]),
    );
    // the pinned west stays on shard 0
    for (const name of appsOf('west')) {
      await client.patch(
        { ...APP, namespace: ns.name, name },
        { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } } },
        { type: 'merge' },
      );
    }
    await eventually(
      "west's Applications reconciled again on shard 0",
      () =>
        appsOf('west').every((a) =>
          reconcilers(`${ns.name}/${a}`, killedAt).has(byIdentity(members[0] as string).name),
        ),
      120_000,
      500,
    );
    for (const r of replicas) if (r !== victim) r.closeOpen(Date.now());
    assert.deepEqual(overlaps(log), [], 'no Application reconciled by two replicas at once');
    console.log(`reconciles checked for overlap: ${log.length}`);
  });
});
