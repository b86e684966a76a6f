// Differential run of src/expr and evaluateMetricResult against the Go originals (expr-lang/expr v1.17.7,
// Argo Rollouts v1.10.1 utils/evaluate; built once by test/support/go-reference/expr/build.sh). Prints the
// agreement per area, the disagreements (first 20 of each) and one final JSON line.
//
//   node --import tsx bench/expr-diff.ts [--cases N] [--seed S] [--messages]
//   (default 200,000 per area, seed 20; --messages prints the first error messages that differ)
import { exprCases, metricCases } from '../test/support/go-reference/expr/generate.js';
import { agree, answerOurs } from '../test/support/go-reference/expr/ours.js';
import type { ReferenceCase } from '../test/support/go-reference/expr/reference.js';
import { askReference, referenceBinary } from '../test/support/go-reference/expr/reference.js';
import { numberOption } from './support/number-option.js';

const total = numberOption('--cases', 200_000);
const seed = numberOption('--seed', 20);
const reference = referenceBinary();
if (reference.path === undefined) {
  console.error(`expr-diff: ${reference.skip}`);
  process.exit(1);
}

/**
 * Whether two error messages say the same: Go's file.Error.Error() is `reason (line:col)` plus the source
 * line and a caret under it; ours is `reason at line L, column C` (the same reason and position).
 */
function sameMessage(go: string, ours: string): boolean {
  if (go === ours) return true;
  const positioned = /^([\s\S]*) at line (\d+), column (\d+)$/.exec(ours);
  if (positioned === null) return false;
  return go.split('\n')[0] === `${positioned[1]} (${positioned[2]}:${positioned[3]})`;
}

function run(area: string, make: (seed: number, count: number) => ReferenceCase[], areaSeed: number) {
  const chunk = 20_000;
  let disagreements = 0;
  let errors = 0;
  let sameMessages = 0;
  const differentMessages: string[] = [];
  for (let done = 0; done < total; done += chunk) {
    const cases = make(areaSeed + done, Math.min(chunk, total - done));
    const theirs = askReference(reference.path ?? '', cases);
    cases.forEach((c, i) => {
      const ours = answerOurs(c);
      const go = theirs[i];
      if (go !== undefined && !go.ok && !ours.ok) {
        errors++;
        if (sameMessage(go.error ?? '', ours.error ?? '')) sameMessages++;
        else if (differentMessages.length < 15)
          differentMessages.push(`${JSON.stringify(c)}\n  go:   ${go.error}\n  ours: ${ours.error}`);
      }
      if (go === undefined || agree(ours, go)) return;
      if (++disagreements <= 20)
        console.log(
          `${area}: ${JSON.stringify(c)}\n  go:   ${JSON.stringify(go)}\n  ours: ${JSON.stringify(ours)}`,
        );
    });
  }
  const agreement = (100 * (total - disagreements)) / total;
  console.log(`${area}: ${total} cases, ${disagreements} disagreements, ${agreement.toFixed(3)}% agreement`);
  if (process.argv.includes('--messages'))
    for (const m of differentMessages) console.log(`${area} message: ${m}`);
  const share = (100 * sameMessages) / Math.max(1, errors);
  console.log(
    `${area}: errors on both sides ${errors}, identical messages ${sameMessages} (${share.toFixed(1)}%)`,
  );
  return { cases: total, disagreements, agreement, errors, sameMessages };
}

const result = { expr: run('expr', exprCases, seed), metric: run('metric', metricCases, seed + 1) };
console.log(JSON.stringify({ bench: 'expr-diff', seed, ...result }));
