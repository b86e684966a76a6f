import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/kube/index.js';
import { eventually, testKubeconfigPath } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const candidate = fileURLToPath(new URL('../support/fixtures/leader-candidate.ts', import.meta.url));

interface Candidate {
  readonly identity: string;
  readonly proc: ChildProcess;
  readonly reconciled: string[];
}

function startCandidate(namespace: string, identity: string): Candidate {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', candidate, testKubeconfigPath(), namespace, identity],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const reconciled: string[] = [];
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.startsWith('reconciled ')) reconciled.push(line.slice(11));
  });
  return { identity, proc, reconciled };
}

describe('leader election on a coordination.k8s.io Lease', () => {
  const candidates: Candidate[] = [];
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    for (const c of candidates) c.proc.kill('SIGKILL');
  });
  const { client, ns } = useTestNamespace('le');

  const holder = async () =>
    (
      await client.get<KubeObject & { spec?: { holderIdentity?: string } }>({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        namespace: ns.name,
        name: 'le-test',
      })
    ).spec?.holderIdentity ?? '';
  const stamp = async (name: string) =>
    (await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name, name })).metadata
      .annotations?.['slipway.dev/reconciled-by'];

  it('only the leader reconciles; after kill -9 the other takes over within the lease duration', async () => {
    candidates.push(startCandidate(ns.name, 'alpha'), startCandidate(ns.name, 'bravo'));
    const leaderId = await eventually('a leader', async () => (await holder()) || undefined, 30_000);
    for (let i = 0; i < 5; i++) {
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { namespace: ns.name, name: `cm-${i}`, labels: { 'le-test': 'true' } },
      });
    }
    for (let i = 0; i < 5; i++)
      await eventually(`cm-${i} stamped`, async () => (await stamp(`cm-${i}`)) === leaderId, 20_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const leader = candidates.find((c) => c.identity === leaderId)!;
    const follower = candidates.find((c) => c.identity !== leaderId)!;
    assert.equal(
      follower.reconciled.length,
      0,
      'the follower must not reconcile while the leader holds the lease',
    );
    assert.equal(leader.reconciled.length, 5);

    const killedAt = Date.now();
    leader.proc.kill('SIGKILL');
    await eventually(
      'the follower to take the lease',
      async () => (await holder()) === follower.identity,
      15_000,
      50,
    );
    const takeoverMs = Date.now() - killedAt;
    process.stdout.write(
      `# follower took over ${takeoverMs} ms after kill -9 (lease 3000 ms, retry 500 ms)\n`,
    );
    // The follower judges expiry from when it last saw the lease renewed, so the bound is the lease
    // duration plus one retry period (plus scheduling slack on a loaded machine).
    assert.ok(takeoverMs <= 3_000 + 500 + 1_000, `takeover took ${takeoverMs} ms`);

    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: ns.name, name: 'after-failover', labels: { 'le-test': 'true' } },
    });
    await eventually(
      'the new leader to reconcile',
      async () => (await stamp('after-failover')) === follower.identity,
      20_000,
    );
  });
});
