import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  InvalidLabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
} from '../../../src/kube/index.js';
import {
  parseNotificationConfig,
  resolveDestinations,
  type SubscriptionOptions,
} from '../../../src/notifications/index.js';

interface Case {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly options?: SubscriptionOptions;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly destinations: readonly (readonly [string, string, string])[];
  readonly problems: readonly (readonly [string, string])[];
}
interface SelectorGolden {
  readonly matches: readonly { selector: string; labels: Record<string, string>; matches: boolean }[];
  readonly errors: readonly string[];
}

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../golden/notifications/${name}`, import.meta.url), 'utf8')) as T;
const golden = load<{ readonly cases: readonly Case[] }>('subscriptions.json');
const selectors = load<SelectorGolden>('label-selectors.json');

describe('subscription destinations (golden)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const { config, problems: configProblems } = parseNotificationConfig(c.config);
      assert.deepEqual(
        configProblems.filter((p) => p.severity === 'error'),
        [],
      );
      const { destinations, problems } = resolveDestinations(
        { annotations: c.annotations, ...(c.labels !== undefined ? { labels: c.labels } : {}) },
        config,
        c.options,
      );
      assert.deepEqual(
        destinations.map((d) => [d.trigger, d.service, d.recipient]),
        c.destinations.map((d) => [...d]),
      );
      assert.deepEqual(problems.map((p) => [p.key, p.code]).sort(), c.problems.map((p) => [...p]).sort());
    });
  }
});

describe('label selectors (golden)', () => {
  for (const c of selectors.matches) {
    it(`${JSON.stringify(c.selector)} on ${JSON.stringify(c.labels)} → ${c.matches}`, () => {
      assert.equal(matchesLabelSelector(parseLabelSelector(c.selector), c.labels), c.matches);
    });
  }
  for (const text of selectors.errors) {
    it(`${JSON.stringify(text)} is rejected`, () => {
      assert.throws(() => parseLabelSelector(text), InvalidLabelSelectorError);
    });
  }
});
