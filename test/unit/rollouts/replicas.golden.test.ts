import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type BasicCanaryInput,
  calculateBasicCanaryReplicas,
  calculateTrafficRoutedCanaryReplicas,
  type DesiredSplitInput,
  desiredSplit,
  type IntOrStringInput,
  resolveMaxSurge,
  resolveMaxUnavailable,
  type TrafficRoutedCanaryInput,
  trafficWeightToReplicas,
} from '../../../src/rollouts/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const goldenDir = `${repoRoot}test/golden/rollouts/`;
const sharedSplitPath = `${repoRoot}../shared/golden/replicas-weighted-split.json`;

interface GoldenCase<I, E> {
  readonly name: string;
  readonly kind?: string;
  readonly test?: string;
  readonly input: I;
  readonly expected: E;
}

interface FencepostInput {
  readonly replicas: number;
  readonly maxSurge: IntOrStringInput;
  readonly maxUnavailable: IntOrStringInput;
  readonly field: 'maxSurge' | 'maxUnavailable';
}

const load = <T>(path: string): { readonly cases: readonly T[] } => JSON.parse(readFileSync(path, 'utf8'));

describe('replicas-weighted-split.json (target split)', () => {
  const golden = load<GoldenCase<DesiredSplitInput, { canary: number; stable: number }>>(
    `${goldenDir}replicas-weighted-split.json`,
  );
  for (const c of golden.cases) {
    it(c.name, () => assert.deepEqual(desiredSplit(c.input), c.expected));
  }
  it('the in-repo copy equals the shared golden file', (t) => {
    if (!existsSync(sharedSplitPath)) {
      t.skip('shared golden file not present');
      return;
    }
    const shared = JSON.parse(readFileSync(sharedSplitPath, 'utf8'));
    const copy = JSON.parse(readFileSync(`${goldenDir}replicas-weighted-split.json`, 'utf8'));
    assert.deepEqual(copy, shared);
  });
});

describe('canary-replicas.json (Argo canary_test.go tables)', () => {
  const golden = load<GoldenCase<unknown, Record<string, number>>>(`${goldenDir}canary-replicas.json`);
  for (const c of golden.cases) {
    it(`[${c.kind}] ${c.name}`, (t) => {
      switch (c.kind) {
        case 'basic':
          assert.deepEqual(calculateBasicCanaryReplicas(c.input as BasicCanaryInput), c.expected);
          return;
        case 'split':
          assert.deepEqual(desiredSplit(c.input as DesiredSplitInput), c.expected);
          return;
        case 'trafficWeightToReplicas': {
          const input = c.input as { replicas: number; weight: number; maxWeight: number };
          assert.equal(
            trafficWeightToReplicas(input.replicas, input.weight, input.maxWeight),
            c.expected.replicas,
          );
          return;
        }
        case 'fencepost': {
          const input = c.input as FencepostInput;
          const resolve = input.field === 'maxSurge' ? resolveMaxSurge : resolveMaxUnavailable;
          assert.equal(resolve(input.replicas, input.maxSurge, input.maxUnavailable), c.expected.value);
          return;
        }
        case 'trafficRouted':
        case 'trafficRoutedDynamicStableScale': {
          // Argo's fixture: step 0 is {setWeight, setCanaryScale}, current; the dynamic-scale rows
          // put their setWeight there (`steps[0]`), the others give it as `weight`.
          const input = c.input as TrafficRoutedCanaryInput & { readonly canary?: unknown };
          const weight = input.steps?.[0]?.setWeight ?? input.weight;
          const dynamic = c.kind === 'trafficRoutedDynamicStableScale';
          const { canary, stable, ...rest } = input;
          const sets = dynamic ? { ...(canary && { canary }), ...(stable && { stable }) } : {};
          assert.deepEqual(
            calculateTrafficRoutedCanaryReplicas({ ...rest, ...sets, weight, dynamicStableScale: dynamic }),
            c.expected,
          );
          return;
        }
        default:
          t.skip(`unknown kind ${c.kind}`);
      }
    });
  }
});
