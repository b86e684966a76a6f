import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/kube/index.js';
import {
  type NotificationKind,
  notificationKinds,
  parseNotificationConfig,
  TemplateRenderer,
  TriggerEvaluator,
  templateData,
  triggerEnv,
} from '../../../src/notifications/index.js';

// Renders EVERY trigger condition and EVERY template of the catalog in templates/ against fixture objects and
// compares with test/golden/notifications/catalog-rendered.json (UPDATE_GOLDEN=1 rewrites it).
// Attachments and blocks must parse as JSON arrays.

const now = new Date('2024-05-01T12:00:00Z');
const fixtures = parse(
  readFileSync(new URL('../../golden/notifications/catalog-objects.yaml', import.meta.url), 'utf8'),
) as Record<'applications' | 'rollouts' | 'flux', Record<string, KubeObject>>;
const goldenUrl = new URL('../../golden/notifications/catalog-rendered.json', import.meta.url);

// The Flux entries (`on-flux-*`, `flux-*`) share argocd-notifications-cm with the Applications' and are
// rendered against the Flux fixtures only, under their own key.
const isFlux = (name: string) => name.startsWith('on-flux-') || name.startsWith('flux-');
const catalogs: readonly {
  key: string;
  file: string;
  kind: NotificationKind;
  objects: Record<string, KubeObject>;
  only: (name: string) => boolean;
}[] = [
  {
    key: 'argocd-notifications-cm.yaml',
    file: 'argocd-notifications-cm.yaml',
    kind: notificationKinds.Application,
    objects: fixtures.applications,
    only: (name) => !isFlux(name),
  },
  {
    key: 'argo-rollouts-notification-configmap.yaml',
    file: 'argo-rollouts-notification-configmap.yaml',
    kind: notificationKinds.Rollout,
    objects: fixtures.rollouts,
    only: () => true,
  },
  {
    key: 'argocd-notifications-cm.yaml (flux)',
    file: 'argocd-notifications-cm.yaml',
    kind: notificationKinds.Kustomization,
    objects: fixtures.flux,
    only: isFlux,
  },
];

function renderCatalog(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const evaluator = new TriggerEvaluator();
  const renderer = new TemplateRenderer();
  for (const { key, file, kind, objects, only } of catalogs) {
    const cm = parse(readFileSync(new URL(`../../../templates/${file}`, import.meta.url), 'utf8')) as {
      data: Record<string, string>;
    };
    const { config, problems } = parseNotificationConfig(cm.data, { 'slack-token': 'xoxb-golden' });
    assert.deepEqual(problems, [], `${file} parses without problems`);
    const result: Record<string, unknown> = {};
    for (const [name, object] of Object.entries(objects)) {
      const vars = { kind, object, context: config.context, secrets: {}, now: () => now };
      const triggers: Record<string, unknown> = {};
      for (const [trigger, conditions] of Object.entries(config.triggers)) {
        if (!only(trigger)) continue;
        triggers[trigger] = evaluator
          .evaluate(conditions, triggerEnv(vars), now)
          .map((r) =>
            r.outcome === 'error'
              ? `error: ${r.error}`
              : r.oncePer
                ? `${r.outcome} (oncePer ${r.oncePer})`
                : r.outcome,
          );
      }
      const templates: Record<string, unknown> = {};
      for (const template of Object.keys(config.templates)) {
        if (!only(template)) continue;
        const rendered = renderer.render(
          [template],
          config.templates,
          templateData(vars, { serviceType: 'slack', recipient: 'deploys' }),
          now,
        );
        assert.ok(rendered.ok, `${file} ${template} on ${name}: ${rendered.ok ? '' : rendered.error}`);
        const n = rendered.notification;
        templates[template] = {
          message: n.message,
          ...(n.slack?.attachments !== undefined && {
            attachments: JSON.parse(n.slack.attachments) as unknown,
          }),
          ...(n.slack?.groupingKey !== undefined && { groupingKey: n.slack.groupingKey }),
        };
      }
      result[name] = { triggers, templates };
    }
    out[key] = result;
  }
  return out;
}

describe('notification catalog (golden)', () => {
  it('every trigger evaluates and every template renders valid Slack JSON for every fixture', () => {
    const actual = renderCatalog();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenUrl, `${JSON.stringify(actual, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(goldenUrl, 'utf8')) as unknown;
    assert.deepEqual(actual, expected);
  });

  it('covers the triggers the issue lists', () => {
    const actual = renderCatalog() as Record<string, Record<string, { triggers: Record<string, unknown> }>>;
    const app = Object.keys(actual['argocd-notifications-cm.yaml']?.['healthy-deployed']?.triggers ?? {});
    // biome-ignore format: list
    for (const t of ['on-deployed', 'on-sync-succeeded', 'on-sync-failed', 'on-sync-running', 'on-sync-status-unknown', 'on-out-of-sync', 'on-health-degraded', 'on-created', 'on-deleted'])
      assert.ok(app.includes(t), t);
    const ro = Object.keys(
      actual['argo-rollouts-notification-configmap.yaml']?.['canary-step']?.triggers ?? {},
    );
    // biome-ignore format: list
    for (const t of ['on-rollout-updated', 'on-rollout-step-completed', 'on-rollout-paused', 'on-rollout-aborted', 'on-rollout-completed', 'on-scaling-replica-set', 'on-analysis-run-running', 'on-analysis-run-failed', 'on-analysis-run-error'])
      assert.ok(ro.includes(t), t);
    const flux = actual['argocd-notifications-cm.yaml (flux)'] as Record<
      string,
      { triggers: Record<string, string[]> }
    >;
    assert.deepEqual(flux['kustomization-ready']?.triggers, {
      'on-flux-deployed': ['true (oncePer main@sha1:5b9f3c1f2a8d4e6f7a8b9c0d1e2f3a4b5c6d7e8f)'],
      'on-flux-degraded': ['false'],
    });
    assert.deepEqual(flux['helmrelease-upgraded']?.triggers, {
      'on-flux-deployed': ['true (oncePer sha256:2c1e0f3a)'],
      'on-flux-degraded': ['false'],
    });
    for (const failed of ['kustomization-health-failed', 'helmrelease-upgrade-failed'])
      assert.deepEqual(flux[failed]?.triggers['on-flux-degraded']?.[0]?.slice(0, 4), 'true', failed);
    for (const waiting of ['kustomization-progressing', 'kustomization-dependency-not-ready'])
      assert.deepEqual(flux[waiting]?.triggers, {
        'on-flux-deployed': ['false'],
        'on-flux-degraded': ['false'],
      });
  });
});
