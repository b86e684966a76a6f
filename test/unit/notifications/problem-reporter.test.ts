import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventRecorder } from '../../../src/core/index.js';
import { ProblemReporter } from '../../../src/notifications/index.js';
import { silentLogger } from '../../../src/observability/index.js';

const rollout = (name: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name, namespace: 'shop', uid: `uid-${name}` },
});

describe('ProblemReporter', () => {
  it('reports a problem of an object once per interval, each distinct problem and object on its own', () => {
    const warnings: string[] = [];
    const events = {
      warning: (s: { metadata: { name?: string } }, reason: string, message: string) =>
        warnings.push(`${s.metadata.name} ${reason} ${message}`),
    } as unknown as EventRecorder;
    let now = 0;
    const reporter = new ProblemReporter({
      events,
      logger: silentLogger(),
      now: () => now,
      intervalMs: 60_000,
    });
    for (let i = 0; i < 100; i++)
      reporter.report(rollout('web'), 'InvalidNotificationConfig', 'trigger broken');
    reporter.report(rollout('api'), 'InvalidNotificationConfig', 'trigger broken');
    reporter.report(rollout('web'), 'NotificationFailed', 'template broken');
    assert.equal(warnings.length, 3);
    now = 59_999;
    reporter.report(rollout('web'), 'InvalidNotificationConfig', 'trigger broken');
    assert.equal(warnings.length, 3);
    now = 60_000;
    reporter.report(rollout('web'), 'InvalidNotificationConfig', 'trigger broken');
    assert.equal(warnings.length, 4);
  });
});
