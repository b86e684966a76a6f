import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventRecorder } from '../../../src/core/index.js';
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import { silentLogger } from '../../../src/observability/index.js';

/** The two calls the recorder makes, answered slowly so that writes overlap. */
function slowEventSink(delayMs: number) {
  const sink = { created: [] as KubeObject[], patched: 0, inFlight: 0, maxInFlight: 0 };
  const call = async <T>(result: T): Promise<T> => {
    sink.inFlight += 1;
    sink.maxInFlight = Math.max(sink.maxInFlight, sink.inFlight);
    await new Promise((r) => setTimeout(r, delayMs));
    sink.inFlight -= 1;
    return result;
  };
  const client = {
    create: (obj: KubeObject) => {
      sink.created.push(obj);
      return call(obj);
    },
    patch: () => {
      sink.patched += 1;
      return call({});
    },
  } as unknown as KubeClient;
  return { sink, client };
}

const subject = (name: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name, namespace: 'ns', uid: `uid-${name}` },
});

describe('EventRecorder', () => {
  it('writes a burst a few at a time, in order, and flush waits for all of them', async () => {
    const { sink, client } = slowEventSink(5);
    const recorder = new EventRecorder({
      client,
      component: 'test',
      logger: silentLogger(),
      maxConcurrentWrites: 3,
    });
    for (let i = 0; i < 40; i++) recorder.normal(subject(`r${i}`), 'RolloutUpdated', `update ${i}`);
    await recorder.flush();
    assert.equal(sink.created.length, 40);
    assert.equal(sink.maxInFlight, 3);
    assert.deepEqual(
      sink.created.map((e) => e.message),
      Array.from({ length: 40 }, (_, i) => `update ${i}`),
    );
  });

  it('aggregates a repeat into the existing Event and drops what overflows the backlog', async () => {
    const { sink, client } = slowEventSink(1);
    const recorder = new EventRecorder({
      client,
      component: 'test',
      logger: silentLogger(),
      maxConcurrentWrites: 1,
      maxBacklog: 5,
    });
    recorder.normal(subject('a'), 'RolloutPaused', 'paused');
    await recorder.flush();
    recorder.normal(subject('a'), 'RolloutPaused', 'paused');
    await recorder.flush();
    assert.equal(sink.created.length, 1);
    assert.equal(sink.patched, 1);

    for (let i = 0; i < 20; i++) recorder.warning(subject('b'), 'Burst', `m${i}`);
    await recorder.flush();
    // one is taken at once, five wait, the rest are dropped
    assert.equal(sink.created.length, 1 + 6);
  });

  it('tells in-process listeners about every event, dropped or not', async () => {
    const { client } = slowEventSink(1);
    const recorder = new EventRecorder({ client, component: 'test', logger: silentLogger(), maxBacklog: 1 });
    const heard: string[] = [];
    recorder.onEvent((e) => heard.push(e.reason));
    for (let i = 0; i < 10; i++) recorder.normal(subject('c'), `R${i}`, 'x');
    await recorder.flush();
    assert.equal(heard.length, 10);
  });

  it('flush resolves at once when nothing is pending', async () => {
    const { client } = slowEventSink(1);
    await new EventRecorder({ client, component: 'test', logger: silentLogger() }).flush();
  });

  it('recordDurable stores through durable listeners before any Event, and fails when they fail', async () => {
    const { sink, client } = slowEventSink(1);
    const recorder = new EventRecorder({ client, component: 'test', logger: silentLogger() });
    const order: string[] = [];
    recorder.onEvent((e) => order.push(`event ${e.reason}`));
    let fail = true;
    recorder.onEventDurable(async (batch) => {
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('store down');
      order.push(`stored ${batch.events.map((e) => e.reason).join(',')} from ${batch.transition}`);
      const snapshot = batch.snapshot as KubeObject;
      return { ...snapshot, metadata: { ...snapshot.metadata, resourceVersion: '8' } };
    });
    const snapshot: KubeObject = {
      ...subject('d'),
      metadata: { ...subject('d').metadata, resourceVersion: '7' },
    };
    const specs = [
      { type: 'Normal' as const, reason: 'RolloutStepCompleted', message: 'step 1/2' },
      { type: 'Normal' as const, reason: 'RolloutPaused', message: 'paused' },
    ];
    await assert.rejects(
      recorder.recordDurable(subject('d'), snapshot, specs, { transition: 't1' }),
      /store down/,
    );
    await recorder.flush();
    assert.deepEqual(order, []);
    assert.equal(sink.created.length, 0, 'nothing is recorded before it is stored');
    fail = false;
    const written = await recorder.recordDurable(subject('d'), snapshot, specs, { transition: 't1' });
    assert.equal(written?.metadata.resourceVersion, '8');
    await recorder.flush();
    assert.deepEqual(order, [
      'stored RolloutStepCompleted,RolloutPaused from t1',
      'event RolloutStepCompleted',
      'event RolloutPaused',
    ]);
    assert.equal(sink.created.length, 2);
  });

  it('recordDurable without events still calls durable listeners for a transition (cleanup), not without', async () => {
    const { sink, client } = slowEventSink(1);
    const recorder = new EventRecorder({ client, component: 'test', logger: silentLogger() });
    const calls: string[] = [];
    recorder.onEventDurable(async (batch) => {
      calls.push(`${batch.events.length} from ${batch.transition}`);
      return undefined;
    });
    const snapshot: KubeObject = subject('e');
    assert.equal(await recorder.recordDurable(subject('e'), snapshot, [], { transition: 't2' }), undefined);
    assert.equal(await recorder.recordDurable(subject('e'), snapshot, []), undefined);
    await recorder.flush();
    assert.deepEqual(calls, ['0 from t2']);
    assert.equal(sink.created.length, 0);
  });
  it('merges occurrences of one series still waiting into one write, and patches a series once it exists', async () => {
    const { sink, client } = slowEventSink(5);
    const patches: unknown[] = [];
    const patching = client as unknown as { patch: (ref: unknown, body: unknown) => Promise<unknown> };
    const basePatch = patching.patch;
    patching.patch = (ref, body) => {
      patches.push(body);
      return basePatch(ref, body);
    };
    const recorder = new EventRecorder({
      client,
      component: 'test',
      logger: silentLogger(),
      maxConcurrentWrites: 1,
    });
    recorder.normal(subject('busy'), 'Other', 'occupies the one writer');
    for (let i = 0; i < 5; i++) recorder.normal(subject('m'), 'RolloutPaused', 'paused');
    await recorder.flush();
    const paused = sink.created.filter((e) => e.reason === 'RolloutPaused');
    assert.equal(paused.length, 1, 'five occurrences queued behind another write: one create');
    assert.equal((paused[0] as { count?: number }).count, 5);
    assert.equal(sink.patched, 0);
    recorder.normal(subject('m'), 'RolloutPaused', 'paused');
    await recorder.flush();
    assert.equal(sink.patched, 1);
    assert.equal((patches[0] as { count?: number }).count, 6);
  });

  it('writes at most 25 Events about one object and reason in a burst; listeners still hear every event', async () => {
    const { sink, client } = slowEventSink(1);
    const recorder = new EventRecorder({ client, component: 'test', logger: silentLogger() });
    let heard = 0;
    recorder.onEvent(() => {
      heard += 1;
    });
    let stored = 0;
    recorder.onEventDurable(async (batch) => {
      stored += batch.events.length;
      return undefined;
    });
    // one at a time, so that no repeat is merged into a write still queued
    for (let i = 0; i < 40; i++) {
      recorder.normal(subject('spam'), 'Looping', 'the same message');
      await recorder.flush();
    }
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(sink.created.length + sink.patched, 25);
    assert.equal(heard, 40);
    assert.equal(stored, 40);
  });
});
