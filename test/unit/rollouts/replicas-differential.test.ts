import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replicaCases } from '../../support/go-reference/replicas/generate.js';
import {
  askReference,
  disagreement,
  referenceBinary,
} from '../../support/go-reference/replicas/reference.js';

// Differential test (CASES basic and CASES traffic-routed cases) of calculateBasicCanaryReplicas and calculateTrafficRoutedCanaryReplicas (with
// canaryReplicasOrWeight) against Argo Rollouts v1.10.1's own utils/replicaset functions, built once by
// test/support/go-reference/replicas/build.sh. Random plain inputs, fixed seed; SLIPWAY_REPLICAS_DIFF_CASES
// and SLIPWAY_REPLICAS_DIFF_SEED run a larger or different sample (`npm run bench argo-replicas-diff` runs
// 1,000,000 Rollout-level cases besides).
const CASES = Number(process.env.SLIPWAY_REPLICAS_DIFF_CASES ?? 12_000);
const SEED = Number(process.env.SLIPWAY_REPLICAS_DIFF_SEED ?? 20);

const reference = referenceBinary();

describe('canary replica math agrees with Argo Rollouts on random inputs', { skip: reference.skip }, () => {
  const cases = reference.path === undefined ? [] : replicaCases(SEED, CASES);
  const answers = reference.path === undefined ? [] : askReference(reference.path, cases);
  for (const kind of ['basic', 'trafficRouted'] as const) {
    const mine = cases.map((c, i) => [c, answers[i]] as const).filter(([c]) => c.kind === kind);
    it(`${kind === 'basic' ? 'calculateBasicCanaryReplicas' : 'calculateTrafficRoutedCanaryReplicas'}: ${mine.length} cases (seed ${SEED})`, () => {
      const found: string[] = [];
      for (const [c, go] of mine) {
        const why = go === undefined ? 'no answer' : disagreement(c, go);
        if (why !== undefined) found.push(`${JSON.stringify(c.input)}\n    ${why}`);
      }
      assert.equal(
        found.length,
        0,
        `${found.length} disagreements, first ones:\n${found.slice(0, 12).join('\n')}`,
      );
    });
  }
});
