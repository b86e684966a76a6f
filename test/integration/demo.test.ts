import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('npm run demo -- --fast tells the whole story and cleans up', { timeout: 600_000 }, async () => {
  // Its own TMPDIR: whatever the demo creates there (cluster, repo, Prometheus, sync checkouts) must be gone.
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-demo-test-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts', '--fast'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', TMPDIR: scratch },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `demo failed:\n${out.slice(-4000)}`);
  for (const expected of [
    '✓ v1 Healthy and Synced: yes',
    '✓ v2 promoted to stable after passing analysis: yes',
    '✓ v3 aborted automatically, stable v2 kept: yes',
    '✓ Application health Degraded: yes',
    '✓ drift healed (replicas back to 5, Synced): yes',
    '✓ Slack: deploy and alert messages received: yes',
  ]) {
    assert.ok(out.includes(expected), `missing "${expected}"`);
  }
  assert.match(
    out,
    /RolloutAborted: Rollout aborted update to revision 3: Metric "success-rate" assessed Failed/,
  );
  assert.match(out, /slack #deploys .* demo deployed/);
  assert.match(out, /slack #alerts .* out of sync/);
  const clusterDir = /KUBECONFIG=(\/\S+)\/kubeconfig/.exec(out)?.[1];
  assert.ok(clusterDir, 'the demo prints its kubeconfig');
  assert.equal(existsSync(clusterDir), false, 'the demo removed its cluster directory');
  const logsDir = /logs: (\/\S+)\/controller\.log/.exec(out)?.[1];
  assert.ok(logsDir && !existsSync(logsDir), 'the demo removed its work directory');
  const left = readdirSync(scratch).filter((f) => !f.startsWith('tsx-'));
  assert.deepEqual(left, [], 'the demo left nothing behind in its temp dir');
  rmSync(scratch, { recursive: true, force: true });
});
