/**
 * Arguments the rollout commands reject before talking to a cluster, as the kubectl-argo-rollouts
 * plugin does (its *_test.go usage cases): wrong argument counts, CONTAINER=IMAGE with no or several
 * "=", an unreadable --in, and both promote skip flags.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { main } from '../../../src/cli/main.js';
import { captureOutput } from '../../support/captured-output.js';

const run = async (argv: readonly string[]) => {
  const { result: code, out } = await captureOutput(() => main(argv));
  return { code, out };
};

const usage: readonly (readonly string[])[] = [
  ['rollout', 'abort'],
  ['rollout', 'pause'],
  ['rollout', 'promote'],
  ['rollout', 'promote', 'web', 'other'],
  ['rollout', 'restart', 'web', 'other'],
  ['rollout', 'restart', 'web', '--in', 'not-valid-time'],
  ['rollout', 'restart', 'web', '--in', '10'],
  ['rollout', 'undo'],
  ['rollout', 'undo', 'web', '--to-revision', 'two'],
  ['rollout', 'set-image'],
  ['rollout', 'set-image', 'web'],
  ['rollout', 'set-image', 'web', 'forgot-equals-sign'],
  ['rollout', 'set-image', 'web', 'too=many=equals=signs'],
  ['rollout', 'set-image', 'web', 'app=img', 'extra'],
];

it('malformed arguments are usage errors (exit 2) with the command help', async () => {
  for (const argv of usage) {
    const { code, out } = await run(argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(out, new RegExp(`usage: slipway ${argv[0]} ${argv[1]}`), argv.join(' '));
  }
});

it('promote refuses both skip flags before reading the Rollout', async () => {
  const { code, out } = await run(['rollout', 'promote', 'web', '-c', '-a']);
  assert.equal(code, 1);
  assert.match(out, /cannot skip the current step and all steps at once.*\[ROLLOUT_ACTION\]/);
});
