import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exprCases, metricCases } from '../../support/go-reference/expr/generate.js';
import { agree, answerOurs } from '../../support/go-reference/expr/ours.js';
import type { ReferenceCase } from '../../support/go-reference/expr/reference.js';
import { askReference, referenceBinary } from '../../support/go-reference/expr/reference.js';

// Differential tests against the Go originals (expr-lang/expr v1.17.7 and Argo Rollouts v1.10.1
// utils/evaluate, built once by test/support/go-reference/expr/build.sh). Fixed seed; SLIPWAY_EXPR_DIFF_CASES
// and SLIPWAY_EXPR_DIFF_SEED run a larger or different sample (bench/expr-diff.ts runs 200,000).
const CASES = Number(process.env.SLIPWAY_EXPR_DIFF_CASES ?? 10_000);
const SEED = Number(process.env.SLIPWAY_EXPR_DIFF_SEED ?? 20);

const reference = referenceBinary();

function disagreements(cases: readonly ReferenceCase[]): string[] {
  const theirs = askReference(reference.path ?? '', cases);
  const out: string[] = [];
  cases.forEach((c, i) => {
    const ours = answerOurs(c);
    const go = theirs[i];
    if (go !== undefined && !agree(ours, go))
      out.push(`${JSON.stringify(c)}\n    go:   ${JSON.stringify(go)}\n    ours: ${JSON.stringify(ours)}`);
  });
  return out;
}

describe('expr and metric verdicts agree with the Go originals on random inputs', {
  skip: reference.skip,
}, () => {
  it(`compile().evaluate(): ${CASES} plain expressions (seed ${SEED})`, () => {
    const found = disagreements(exprCases(SEED, CASES));
    assert.equal(
      found.length,
      0,
      `${found.length} disagreements, first ones:\n${found.slice(0, 15).join('\n')}`,
    );
  });
  it(`evaluateMetricResult: ${CASES} conditions over random results (seed ${SEED})`, () => {
    const found = disagreements(metricCases(SEED + 1, CASES));
    assert.equal(
      found.length,
      0,
      `${found.length} disagreements, first ones:\n${found.slice(0, 15).join('\n')}`,
    );
  });
});
