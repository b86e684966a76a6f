import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { standardFunctionNames } from '../../../src/gotemplate/index.js';
import { templateCases } from '../../support/go-reference/gotemplate/generate.js';
import { agree, answerOurs } from '../../support/go-reference/gotemplate/ours.js';
import { askReference, referenceBinary } from '../../support/go-reference/gotemplate/reference.js';

// Differential test against Go's text/template + sprig v3.3.0 as notifications-engine configures them
// (built once by test/support/go-reference/gotemplate/build.sh). Random templates over random JSON data,
// fixed seed; only functions our registry has are generated. SLIPWAY_GOTEMPLATE_DIFF_CASES and
// SLIPWAY_GOTEMPLATE_DIFF_SEED run a larger or different sample (`npm run bench gotemplate-diff`).
const CASES = Number(process.env.SLIPWAY_GOTEMPLATE_DIFF_CASES ?? 10_000);
const SEED = Number(process.env.SLIPWAY_GOTEMPLATE_DIFF_SEED ?? 20);

const reference = referenceBinary();

describe('Go templates agree with text/template + sprig on random inputs', { skip: reference.skip }, () => {
  it(`parse().execute(): ${CASES} random templates (seed ${SEED}), output and error-or-not`, () => {
    const cases = templateCases(SEED, CASES, standardFunctionNames());
    const theirs = askReference(reference.path ?? '', cases);
    const found: string[] = [];
    cases.forEach((c, i) => {
      const ours = answerOurs(c);
      const go = theirs[i];
      if (go !== undefined && !agree(ours, go))
        found.push(
          `${JSON.stringify(c)}\n    go:   ${JSON.stringify(go)}\n    ours: ${JSON.stringify(ours)}`,
        );
    });
    assert.equal(
      found.length,
      0,
      `${found.length} disagreements, first ones:\n${found.slice(0, 15).join('\n')}`,
    );
  });
});
