import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fluxGetCommands } from '../../../src/cli/commands/flux-get.js';
import { commands, main } from '../../../src/cli/main.js';
import { captureOutput } from '../../support/captured-output.js';

const quiet = async (fn: () => Promise<number>) => {
  const { result: code, out } = await captureOutput(fn);
  return { code, out };
};

it('every command has --help, and unknown commands or flags are usage errors (exit 2)', async () => {
  for (const c of commands) {
    const { code, out } = await quiet(() => main([...c.path, '--help']));
    assert.equal(code, 0, c.path.join(' '));
    assert.match(out, new RegExp(`usage: slipway ${c.path.join(' ')}`));
  }
  assert.equal((await quiet(() => main(['no-such-command']))).code, 2);
  assert.equal((await quiet(() => main(['version', '--no-such-flag']))).code, 2);
  // checked before anything starts (logger, metrics, kubeconfig)
  assert.equal((await quiet(() => main(['controller', '--rollout-threads', '0']))).code, 2);
  assert.equal((await quiet(() => main(['controller', '--analysis-threads', 'many']))).code, 2);
  assert.equal((await quiet(() => main(['controller', '--max-replicas', '-1']))).code, 2);
  assert.equal((await quiet(() => main(['controller', '--sync-namespaces', ' , ']))).code, 2);
  assert.equal((await quiet(() => main(['controller', '--sync-namespaces', 'shop,Bad_Name']))).code, 2);
  assert.equal((await quiet(() => main(['controller', '--shard-count', '3']))).code, 2);
  // round-robin is accepted since Applications shard by cluster (decision 016); a misspelling is not
  assert.equal((await quiet(() => main(['controller', '--sharding-algorithm', 'round_robin']))).code, 2);
  assert.equal((await quiet(() => main(['controller', '--sharding-algorithm', 'random']))).code, 2);
  assert.equal((await quiet(() => main(['--help']))).code, 0);
});

it('reads print json and yaml', async () => {
  const json = await quiet(() => main(['version', '-o', 'json']));
  assert.equal(json.code, 0);
  assert.equal(
    (JSON.parse(json.out) as { localControlPlane: { kubernetes: string } }).localControlPlane.kubernetes,
    'v1.36.3',
  );
  assert.match((await quiet(() => main(['version', '-o', 'yaml']))).out, /^slipway: /m);
});

it('each listed command loads the command with its words, and every flux get command is listed', async () => {
  for (const c of commands) assert.deepEqual((await c.load()).path, c.path);
  const listed = new Set(commands.map((c) => c.path.join(' ')));
  for (const f of fluxGetCommands) assert.ok(listed.has(f.path.join(' ')), f.path.join(' '));
});
