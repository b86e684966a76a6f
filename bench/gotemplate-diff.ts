// Differential run of src/gotemplate against Go's text/template + sprig v3.3.0 as notifications-engine
// configures them (built once by test/support/go-reference/gotemplate/build.sh). Prints the agreement,
// the first 20 disagreements, how often the error messages match too, and one final JSON line.
//
//   node --import tsx bench/gotemplate-diff.ts [--cases N] [--seed S]     (default 200,000, seed 20)
import { standardFunctionNames } from '../src/gotemplate/index.js';
import { templateCases } from '../test/support/go-reference/gotemplate/generate.js';
import { agree, answerOurs } from '../test/support/go-reference/gotemplate/ours.js';
import { askReference, referenceBinary } from '../test/support/go-reference/gotemplate/reference.js';
import { numberOption } from './support/number-option.js';

const total = numberOption('--cases', 200_000);
const seed = numberOption('--seed', 20);
const reference = referenceBinary();
if (reference.path === undefined) {
  console.error(`gotemplate-diff: ${reference.skip}`);
  process.exit(1);
}

const funcs = standardFunctionNames();
const chunk = 20_000;
let disagreements = 0;
let errors = 0;
let sameMessages = 0;
let goCrashes = 0;
for (let done = 0; done < total; done += chunk) {
  // One seed per chunk, so a run of N cases is reproducible chunk by chunk.
  const cases = templateCases(seed + done, Math.min(chunk, total - done), funcs);
  const theirs = askReference(reference.path ?? '', cases);
  cases.forEach((c, i) => {
    const ours = answerOurs(c);
    const go = theirs[i];
    if (go === undefined) return;
    if (go.crashed) goCrashes++;
    else if (go.error && ours.error) {
      errors++;
      if (go.message === ours.message) sameMessages++;
    }
    if (agree(ours, go)) return;
    if (++disagreements <= 20)
      console.log(`${JSON.stringify(c)}\n  go:   ${JSON.stringify(go)}\n  ours: ${JSON.stringify(ours)}`);
  });
}
const agreement = (100 * (total - disagreements)) / total;
console.log(`gotemplate: ${total} cases, ${disagreements} disagreements, ${agreement.toFixed(3)}% agreement`);
console.log(
  `errors on both sides: ${errors}, identical messages: ${sameMessages} (${((100 * sameMessages) / Math.max(1, errors)).toFixed(1)}%); Go crashed (stack overflow printing a value that contains itself) on ${goCrashes}`,
);
console.log(
  JSON.stringify({
    bench: 'gotemplate-diff',
    seed,
    cases: total,
    disagreements,
    agreement,
    errors,
    sameMessages,
    goCrashes,
  }),
);
