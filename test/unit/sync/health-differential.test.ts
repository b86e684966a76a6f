import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../../src/kube/index.js';
import { assessHealth } from '../../../src/sync/index.js';
import { askGoReference, buildGoReference } from '../../support/go-reference/go-reference.js';
import { healthCases } from '../../support/go-reference/health/generate.js';

// Differential test against gitops-engine's pkg/health (the commit Argo CD's releases pin), built once by
// test/support/go-reference/health/build.sh. Fixed seed; SLIPWAY_HEALTH_DIFF_CASES and
// SLIPWAY_HEALTH_DIFF_SEED run a larger or different sample.
const CASES = Number(process.env.SLIPWAY_HEALTH_DIFF_CASES ?? 10_000);
const SEED = Number(process.env.SLIPWAY_HEALTH_DIFF_SEED ?? 7);

interface Answer {
  readonly status?: string;
  readonly message?: string;
  readonly none?: boolean;
}

const reference = buildGoReference(
  fileURLToPath(new URL('../../support/go-reference/health/build.sh', import.meta.url)),
  'health',
);

describe('assessHealth agrees with gitops-engine on random objects', { skip: reference.skip }, () => {
  it(`${CASES} objects of every built-in kind (seed ${SEED})`, () => {
    const cases = healthCases(SEED, CASES);
    const theirs = askGoReference<Answer>(reference.path ?? '', cases, 'health');
    const found: string[] = [];
    cases.forEach((obj, i) => {
      const h = assessHealth(obj as unknown as KubeObject);
      const ours: Answer = h === undefined ? { none: true } : { status: h.status, message: h.message ?? '' };
      const go = theirs[i] ?? {};
      const same =
        go.none === true
          ? ours.none === true
          : ours.status === go.status && (ours.message ?? '') === (go.message ?? '');
      if (!same)
        found.push(
          `${JSON.stringify(obj)}\n    go:   ${JSON.stringify(go)}\n    ours: ${JSON.stringify(ours)}`,
        );
    });
    assert.equal(
      found.length,
      0,
      `${found.length} disagreements, first ones:\n${found.slice(0, 12).join('\n')}`,
    );
  });
});
