import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventRecorder, Manager, type RecordedEvent } from '../../src/core/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { configMap, eventually, testKubeconfigPath } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

describe('event recorder and manager shutdown', () => {
  const { client, ns } = useTestNamespace('events');

  it('aggregates repeats into one Event with a count, like kubectl shows them', async () => {
    const subject = await client.create(configMap(ns.name, 'subject', {}));
    const recorder = new EventRecorder({ client, component: 'slipway-test', logger: silentLogger() });
    const seen: RecordedEvent[] = [];
    recorder.onEvent((e) => seen.push(e));
    for (let i = 0; i < 3; i++) {
      recorder.normal(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: subject.metadata },
        'Tested',
        'same message',
      );
      await recorder.flush();
    }
    recorder.warning(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: subject.metadata },
      'Broken',
      'another message',
    );
    await recorder.flush();
    assert.deepEqual(
      seen.map((e) => `${e.type}/${e.reason}`),
      ['Normal/Tested', 'Normal/Tested', 'Normal/Tested', 'Warning/Broken'],
    );
    const { items } = await client.listAll<
      KubeObject & { reason?: string; count?: number; type?: string; involvedObject?: { uid?: string } }
    >({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name });
    const tested = items.filter((e) => e.reason === 'Tested');
    assert.equal(tested.length, 1);
    assert.equal(tested[0]!.count, 3);
    assert.equal(tested[0]!.involvedObject?.uid, subject.metadata.uid);
    assert.equal(items.find((e) => e.reason === 'Broken')?.type, 'Warning');
  });

  it('graceful shutdown finishes in-flight work and releases the leader lease', async () => {
    const { KubeClient: Client } = await import('../../src/kube/index.js');
    const manager = new Manager({
      client: Client.fromKubeConfig({ kubeconfigPath: testKubeconfigPath() }),
      logger: silentLogger(),
      metrics: new Metrics(),
      probePort: 0,
      probeHost: '127.0.0.1',
      leaderElection: {
        namespace: ns.name,
        name: 'shutdown-test',
        identity: 'me',
        leaseDurationMs: 15_000,
        retryPeriodMs: 200,
      },
    });
    const informer = manager.informer<KubeObject>({
      gvk: { apiVersion: 'v1', kind: 'ConfigMap' },
      namespace: ns.name,
    });
    let inFlightStarted = false;
    let inFlightFinished = false;
    const controller = manager.addController({
      name: 'slow',
      workers: 1,
      reconciler: {
        async reconcile(_ctx, req) {
          if (req.name !== 'slow') return undefined;
          inFlightStarted = true;
          await new Promise((r) => setTimeout(r, 300));
          inFlightFinished = true;
          return undefined;
        },
      },
    });
    informer.onChange((cur) => cur && controller.enqueue(`${cur.metadata.namespace}/${cur.metadata.name}`));
    await manager.start();
    await eventually('leadership', () => manager.isLeader, 15_000);
    // Ready means every informer has listed once; that can follow leadership by a moment.
    await eventually(
      'readyz to answer 200 once the informers have synced',
      async () => (await fetch(`http://127.0.0.1:${manager.probePort}/readyz`)).status === 200,
      15_000,
    );
    const metricsText = await (await fetch(`http://127.0.0.1:${manager.probePort}/metrics`)).text();
    assert.match(metricsText, /slipway_leader\{lease="shutdown-test"\} 1/);
    await client.create(configMap(ns.name, 'slow', {}));
    await eventually('the slow reconcile to start', () => inFlightStarted, 10_000, 5);
    await manager.stop();
    assert.equal(inFlightFinished, true, 'in-flight reconcile finished before shutdown completed');
    const lease = await client.get<KubeObject & { spec?: { holderIdentity?: string } }>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: ns.name,
      name: 'shutdown-test',
    });
    assert.equal(lease.spec?.holderIdentity, '', 'lease released for an immediate takeover');
  });
});
