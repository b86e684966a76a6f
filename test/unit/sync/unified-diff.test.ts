import assert from 'node:assert/strict';
import { it } from 'node:test';
import { applyPatch } from 'diff';
import { unifiedDiff } from '../../../src/sync/diff/index.js';

it('prints a diff -u style patch with 3 lines of context, empty for equal texts', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
  const after = 'a\nb\nc\nd\nE\nf\ng\nh\ni\n';
  assert.equal(
    unifiedDiff(before, after, 'live', 'desired'),
    [
      '--- live',
      '+++ desired',
      '@@ -2,7 +2,8 @@',
      ' b',
      ' c',
      ' d',
      '-e',
      '+E',
      ' f',
      ' g',
      ' h',
      '+i',
      '',
    ].join('\n'),
  );
  assert.equal(unifiedDiff(before, before, 'live', 'desired'), '');
  assert.equal(unifiedDiff('x', 'x\n', 'live', 'desired'), '', 'the final newline is not a difference');
  assert.equal(unifiedDiff('', 'n\n', 'live', 'desired'), '--- live\n+++ desired\n@@ -0,0 +1,1 @@\n+n\n');
});

it('every patch applies: random edits of random texts', () => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let c = 0; c < 1000; c++) {
    const a = Array.from({ length: Math.floor(rnd() * 40) }, () => `l${Math.floor(rnd() * 6)}`);
    const b = a.filter(() => rnd() > 0.2).map((x) => (rnd() < 0.1 ? `x${x}` : x));
    for (let i = 0; i < 3; i++) if (rnd() < 0.5) b.splice(Math.floor(rnd() * (b.length + 1)), 0, `n${i}`);
    const A = a.length > 0 ? `${a.join('\n')}\n` : '';
    const B = b.length > 0 ? `${b.join('\n')}\n` : '';
    const patch = unifiedDiff(A, B, 'live', 'desired');
    assert.equal(patch === '', A === B);
    if (patch !== '') assert.equal(applyPatch(A, patch), B, patch);
  }
});

it('a one-line change in a 20,000-line manifest needs no quadratic table (the old LCS took 1.6 GB)', () => {
  const big = `${Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n')}\n`;
  const patch = unifiedDiff(big, big.replace('line 100\n', 'line 100 changed\n'), 'live', 'desired');
  assert.equal(patch.split('\n').filter((l) => l.startsWith('+') || l.startsWith('-')).length, 4);
});
