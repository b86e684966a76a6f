import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdditionalDestination } from '../../../../src/rollouts/traffic/router.js';
import {
  createSmiRouterFactory,
  planTrafficSplit,
  type TrafficSplit,
  type TrafficSplitVersion,
} from '../../../../src/rollouts/traffic/smi/index.js';
import type { Rollout } from '../../../../src/rollouts/types.js';
import { readGolden } from '../../../support/golden.js';

interface Case {
  readonly name: string;
  readonly rollout: Rollout;
  readonly version: TrafficSplitVersion;
  readonly desiredWeight: number;
  readonly additional?: AdditionalDestination[];
  readonly existing?: TrafficSplit;
  readonly expected: unknown;
}

const golden = readGolden<{ cases: Case[] }>('rollouts/traffic/smi.json');

describe('SMI TrafficSplit plans (golden)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const action = planTrafficSplit(c.rollout, c.version, c.desiredWeight, c.additional ?? [], c.existing);
      assert.deepEqual(JSON.parse(JSON.stringify(action)), c.expected);
    });
  }
});

describe('SMI router factory', () => {
  it("refuses an unknown TrafficSplit version with Argo's message", () => {
    assert.throws(() => createSmiRouterFactory({ trafficSplitApiVersion: 'does-not-exist' }), {
      code: 'ROLLOUT_TRAFFIC_ROUTER',
      message: 'Unsupported TrafficSplit API version `does-not-exist`',
    });
  });

  it('matches only Rollouts with trafficRouting.smi and has no router-specific validation', () => {
    const factory = createSmiRouterFactory();
    const smi: Rollout = { spec: { strategy: { canary: { trafficRouting: { smi: {} } } } } };
    const nginx: Rollout = {
      spec: { strategy: { canary: { trafficRouting: { nginx: { stableIngress: 'i' } } } } },
    };
    assert.equal(factory.matches(smi), true);
    assert.equal(factory.matches(nginx), false);
    assert.deepEqual(factory.validate(smi), []);
    assert.equal(factory.type, 'SMI');
  });
});
