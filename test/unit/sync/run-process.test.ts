import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runProcess } from '../../../src/sync/run-process.js';

// git ls-remote of a local repository runs git-upload-pack as its child; a process that leaves such a
// child behind holding its stdout used to keep runProcess (and with it the repo poller) waiting forever.
it('returns when the process exits even if something it started still holds its output', {
  timeout: 45_000,
}, async () => {
  const r = await runProcess('sh', ['-c', 'sleep 60 & echo done'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), 'done');
});

it('a timeout kills the whole process group, children included', async () => {
  const r = await runProcess('sh', ['-c', 'sleep 60 & sleep 60'], { timeoutMs: 500 });
  assert.equal(r.timedOut, true);
});
