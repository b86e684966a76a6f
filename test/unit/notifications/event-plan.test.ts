import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.js';
import {
  eventId,
  InlineRenderer,
  type NotificationApi,
  notificationKinds,
  parseNotificationConfig,
  planEventNotifications,
  planNotifications,
  sentAnnotationPrefix,
  staleSentMarkers,
  TriggerEvaluator,
} from '../../../src/notifications/index.js';

const now = new Date('2026-12-06T10:00:00Z');
const evaluator = new TriggerEvaluator();

const cm = (data: Record<string, string>) => parseNotificationConfig(data, { 'slack-token': 'xoxb-test' });
const api = (id: string, data: Record<string, string>, keyPrefix?: string): NotificationApi => {
  const { config, problems } = cm(data);
  return { id, config, secrets: {}, problems, ...(keyPrefix !== undefined && { keyPrefix }) };
};

const shared = api('argo-rollouts/argo-rollouts-notification-configmap', {
  'service.slack': 'token: $slack-token',
  'template.step': 'message: step {{.rollout.status.currentStepIndex}} of {{.rollout.metadata.name}}',
  'trigger.on-rollout-step-completed': '- send: [step]',
  'trigger.on-ready': "- when: rollout.status.phase == 'Healthy'\n  send: [step]",
});

const rollout = (annotations: Record<string, string>, step = 2): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-1', resourceVersion: '7', annotations },
  status: { currentStepIndex: step, phase: 'Progressing' },
});

const stepEvent = (transition: string, n = 0) => ({
  id: eventId(
    'uid-1',
    transition,
    { reason: 'RolloutStepCompleted', message: 'Rollout step 2/4 completed' },
    n,
  ),
  reason: 'RolloutStepCompleted',
});

describe('event trigger planning', () => {
  it('event ids are deterministic per transition, and differ for another transition or occurrence', () => {
    assert.equal(stepEvent('status-a').id, stepEvent('status-a').id);
    assert.notEqual(stepEvent('status-a').id, stepEvent('status-b').id);
    assert.notEqual(stepEvent('status-a', 0).id, stepEvent('status-a', 1).id);
  });

  it('plans from the snapshot: the message shows the step the snapshot has, ids repeat for a repeat', async () => {
    const subscribed = { 'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': 'deploys' };
    const plan = (object: KubeObject) =>
      planEventNotifications({
        kind: notificationKinds.Rollout,
        object,
        apis: [shared],
        events: [stepEvent('status-a')],
        now,
        evaluator,
      });
    const first = plan(rollout(subscribed, 2));
    assert.equal(first.deliveries.length, 1);
    assert.deepEqual(first.failures, []);
    const [delivery] = first.deliveries;
    const rendered = await new InlineRenderer().render(delivery?.job ?? assert.fail('no delivery'));
    assert.deepEqual(rendered, { ok: true, notification: { message: 'step 2 of web' } });
    // the same event planned again (after a crash before the commit) has the same id
    assert.equal(plan(rollout(subscribed, 2)).deliveries[0]?.id, delivery?.id);
  });

  it('state triggers are not fired by events and event triggers are not evaluated as state', () => {
    const object = rollout({
      'notifications.argoproj.io/subscribe.on-ready.slack': 'deploys',
      'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': 'deploys',
    });
    const events = planEventNotifications({
      kind: notificationKinds.Rollout,
      object,
      apis: [shared],
      events: [{ id: 'x', reason: 'Ready' }, stepEvent('s')],
      now,
      evaluator,
    });
    assert.deepEqual(
      events.deliveries.map((d) => d.trigger),
      ['on-rollout-step-completed'],
    );
    const state = planNotifications({
      kind: notificationKinds.Rollout,
      object,
      apis: [shared],
      now,
      evaluator,
    });
    assert.deepEqual(state.deliveries, []);
  });

  it('a service defined only in the namespace-local configuration draws no "not configured" failure', () => {
    const local = api(
      'shop/argo-rollouts-notification-configmap',
      {
        'service.webhook.audit': 'url: http://audit.shop.svc',
        'template.audit':
          'webhook:\n  audit:\n    method: POST\n    body: step {{.rollout.status.currentStepIndex}}',
        'trigger.on-rollout-step-completed': '- send: [audit]',
      },
      'shop',
    );
    const plan = planEventNotifications({
      kind: notificationKinds.Rollout,
      object: rollout({ 'notifications.argoproj.io/subscribe.on-rollout-step-completed.audit': '' }),
      apis: [shared, local],
      events: [stepEvent('s')],
      now,
      evaluator,
    });
    assert.deepEqual(plan.failures, []);
    assert.deepEqual(
      plan.deliveries.map((d) => [d.config, d.service]),
      [['shop/argo-rollouts-notification-configmap', 'audit']],
    );
    const missing = planEventNotifications({
      kind: notificationKinds.Rollout,
      object: rollout({ 'notifications.argoproj.io/subscribe.on-rollout-step-completed.nowhere': 'x' }),
      apis: [shared, local],
      events: [stepEvent('s')],
      now,
      evaluator,
    });
    assert.deepEqual(
      missing.failures.map((f) => [f.reason, f.service]),
      [['UnknownService', 'nowhere']],
    );
  });

  it('a subscription to a trigger whose key is broken is a ConfigError naming the key', () => {
    const broken = api('argo-rollouts/cm', {
      'service.slack': 'token: $slack-token',
      'trigger.on-rollout-step-completed': '- send: [unclosed\n',
    });
    const plan = planEventNotifications({
      kind: notificationKinds.Rollout,
      object: rollout({ 'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': 'c' }),
      apis: [broken],
      events: [stepEvent('s')],
      now,
      evaluator,
    });
    assert.equal(plan.failures.length, 1);
    assert.equal(plan.failures[0]?.reason, 'ConfigError');
    assert.match(plan.failures[0]?.message ?? '', /trigger\.on-rollout-step-completed/);
  });

  it('keeps the newest sent markers', () => {
    const annotations: Record<string, string> = {};
    for (let i = 0; i < 40; i++) annotations[`${sentAnnotationPrefix}id${i}`] = String(1000 + i);
    const stale = staleSentMarkers(rollout(annotations));
    assert.equal(stale.length, 8);
    assert.deepEqual(
      stale.sort(),
      Array.from({ length: 8 }, (_, i) => `${sentAnnotationPrefix}id${i}`).sort(),
    );
  });
});
