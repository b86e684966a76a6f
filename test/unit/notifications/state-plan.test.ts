import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import {
  type NotificationApi,
  notificationKinds,
  notifiedAnnotation,
  parseNotificationConfig,
  planNotifications,
  TriggerEvaluator,
} from '../../../src/notifications/index.js';
import { ObservedStates, planObservedStates } from '../../../src/notifications/observed-states.js';

const now = new Date('2026-12-06T10:00:00Z');
const evaluator = new TriggerEvaluator();
const { config, problems } = parseNotificationConfig(
  {
    'service.slack': 'token: $slack-token',
    'template.drift': 'message: {{.app.metadata.name}} is out of sync',
    'trigger.on-out-of-sync': "- when: app.status.sync.status == 'OutOfSync'\n  send: [drift]",
  },
  { 'slack-token': 'xoxb-test' },
);
const api: NotificationApi = { id: 'argocd/argocd-notifications-cm', config, secrets: {}, problems };
const subscribed = { 'notifications.argoproj.io/subscribe.on-out-of-sync.slack': 'alerts' };

const app = (sync: string, rv: string, annotations: Record<string, string> = subscribed): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'demo', namespace: 'argocd', uid: 'uid-1', resourceVersion: rv, annotations },
  status: { sync: { status: sync } },
});

const plan = (object: KubeObject, notifiedFrom?: KubeObject) =>
  planNotifications({
    kind: notificationKinds.Application,
    object,
    ...(notifiedFrom && { notifiedFrom }),
    apis: [api],
    now,
    evaluator,
  });

describe('state trigger planning', () => {
  it('a state observed in the cache notifies although a fresh read already shows the next one', () => {
    // A self-heal: OutOfSync is written, then Synced half a second later, before this reconcile's read.
    const result = plan(app('OutOfSync', '10'), app('Synced', '11'));
    assert.equal(result.deliveries.length, 1);
    assert.ok(result.notifiedAnnotation?.value);
  });

  it('what was already sent comes from the fresh read: an older observation never sends twice', () => {
    const sent = plan(app('OutOfSync', '10'));
    const recorded = { ...subscribed, [notifiedAnnotation]: sent.notifiedAnnotation!.value! };
    const again = plan(app('OutOfSync', '10'), app('Synced', '12', recorded));
    assert.equal(again.deliveries.length, 0);
  });

  it('once Synced is observed the trigger re-arms, and the next drift notifies again', () => {
    const sent = plan(app('OutOfSync', '10'));
    const recorded = { ...subscribed, [notifiedAnnotation]: sent.notifiedAnnotation!.value! };
    const rearmed = plan(app('Synced', '12', recorded));
    const cleared = { ...subscribed, [notifiedAnnotation]: rearmed.notifiedAnnotation?.value ?? '' };
    assert.equal(plan(app('OutOfSync', '14', cleared)).deliveries.length, 1);
  });

  it('every state the watch delivered since the last reconcile is evaluated, in order', () => {
    const input = { kind: notificationKinds.Application, apis: [api], now, evaluator };
    // OutOfSync lived between two reconciles; the notified state ends where it started (re-armed).
    const healed = planObservedStates(
      input,
      [app('OutOfSync', '10'), app('Synced', '11')],
      app('Synced', '11'),
    );
    assert.equal(healed.deliveries.length, 1);
    assert.equal(healed.notifiedAnnotation, undefined);
    // Two drifts in one batch notify twice; a state still true at the end stays recorded.
    const twice = planObservedStates(
      input,
      [app('OutOfSync', '10'), app('Synced', '11'), app('OutOfSync', '12')],
      app('OutOfSync', '12'),
    );
    assert.equal(twice.deliveries.length, 2);
    assert.notEqual(twice.deliveries[0]?.id, twice.deliveries[1]?.id);
    assert.ok(twice.notifiedAnnotation?.value);
    // Unsubscribed in the fresh read: older observations do not send either.
    const gone = planObservedStates(input, [app('OutOfSync', '10')], app('Synced', '11', {}));
    assert.equal(gone.deliveries.length, 0);
  });

  it('keeps a bounded, de-duplicated list of observations per object until acknowledged', () => {
    const observed = new ObservedStates();
    for (let rv = 1; rv <= 6; rv++) observed.record('argocd/demo', app('Synced', String(rv)));
    observed.record('argocd/demo', app('Synced', '6'));
    assert.deepEqual(
      observed.peek('argocd/demo').map((o) => o.metadata.resourceVersion),
      ['3', '4', '5', '6'],
    );
    observed.ack('argocd/demo', observed.peek('argocd/demo').slice(0, 3));
    observed.record('argocd/demo', app('Synced', '7'));
    assert.deepEqual(
      observed.peek('argocd/demo').map((o) => o.metadata.resourceVersion),
      ['6', '7'],
    );
  });
});
