import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Ingress,
  nginxRouterFactory,
  planCanaryIngress,
  validateStableIngresses,
} from '../../../../src/rollouts/traffic/nginx/index.js';
import type { Rollout } from '../../../../src/rollouts/types.js';
import { readGolden } from '../../../support/golden.js';

interface Case {
  readonly name: string;
  readonly rollout: Rollout;
  readonly stableIngress: Ingress;
  readonly desiredWeight: number;
  readonly current?: Ingress;
  readonly expected: unknown;
}

const golden = readGolden<{
  cases: Case[];
  config: { name: string; rollout: Rollout; expected: string[] }[];
  references: { name: string; rollout: Rollout; ingresses: Ingress[]; expected: string | null }[];
}>('rollouts/traffic/nginx.json');

describe('NGINX canary Ingress plans (golden)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const action = planCanaryIngress(c.rollout, c.stableIngress, c.desiredWeight, c.current);
      assert.deepEqual(JSON.parse(JSON.stringify(action)), c.expected);
    });
  }
});

describe('NGINX configuration validation (golden)', () => {
  for (const c of golden.config) {
    it(c.name, () => assert.deepEqual(nginxRouterFactory.validate(c.rollout), c.expected));
  }
  for (const c of golden.references) {
    it(c.name, () => {
      const lookup = (name: string) => c.ingresses.find((i) => i.metadata.name === name);
      assert.equal(validateStableIngresses(c.rollout, lookup) ?? null, c.expected);
    });
  }
});
