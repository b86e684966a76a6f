import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabelSelector } from '../../../src/kube/index.js';
import {
  type NotificationConfig,
  parseNotificationConfig,
  problemSeverity,
} from '../../../src/notifications/index.js';
import { readGolden } from '../../support/golden.js';

interface SubscriptionExpectation {
  readonly recipients: readonly string[];
  readonly triggers: readonly string[];
  readonly selector: string;
}
type Expectation = Partial<Omit<NotificationConfig, 'subscriptions'>> & {
  readonly subscriptions?: readonly SubscriptionExpectation[];
};
interface Case {
  readonly name: string;
  readonly data: Readonly<Record<string, string>>;
  readonly secret: Readonly<Record<string, string>>;
  readonly expect: Expectation;
  readonly problems: readonly (readonly [string, string])[];
}

const golden = readGolden<{ readonly cases: readonly Case[] }>('notifications/config.json');

describe('notification config parsing (golden)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const { config, problems } = parseNotificationConfig(c.data, c.secret);
      const { subscriptions, ...rest } = c.expect;
      for (const [field, expected] of Object.entries(rest)) {
        assert.deepEqual(config[field as keyof NotificationConfig], expected, field);
      }
      if (subscriptions !== undefined) {
        assert.deepEqual(
          config.subscriptions,
          subscriptions.map((s) => ({ ...s, selector: parseLabelSelector(s.selector) })),
        );
      }
      const actual = problems.map((p) => [p.key, p.code]).sort();
      assert.deepEqual(actual, [...c.problems].map((p) => [...p]).sort());
      for (const p of problems) {
        assert.equal(p.severity, problemSeverity(p.code));
        for (const value of Object.values(c.secret))
          assert.ok(!p.message.includes(value), 'secret in message');
      }
    });
  }
});

describe('notification config parsing', () => {
  it('never puts a secret or a pasted token into a yaml error message', () => {
    const { problems } = parseNotificationConfig({ 'service.slack': 'token: xoxb-pasted-123\n  bad: [' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'invalid-yaml');
    assert.ok(!problems[0]?.message.includes('xoxb-pasted-123'));
    assert.match(problems[0]?.message ?? '', /line \d+ column \d+/);
  });

  it('ignores keys it does not know', () => {
    const { config, problems } = parseNotificationConfig({
      'something.else': 'x',
      'template.t': 'message: m',
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(Object.keys(config.templates), ['t']);
  });
});
