import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  currentProcessOwner,
  isOwnerAlive,
  openWorkspace,
  ownerToken,
  type ProcessOwner,
  type ProcessProbe,
  parseOwnerToken,
  scratchRoot,
  systemProcessProbe,
  useScratchRoot,
} from '../../../src/sync/index.js';

const self: ProcessOwner = { pid: 100, startTicks: '5000', boot: 'b00710aa' };
const live: ProcessOwner = { pid: 200, startTicks: '6000', boot: 'b00710aa' };
const dead: ProcessOwner = { pid: 300, startTicks: '7000', boot: 'b00710aa' };
const probe: ProcessProbe = {
  isRunning: (pid) => pid === self.pid || pid === live.pid,
  startTicks: (pid) => (pid === self.pid ? self.startTicks : pid === live.pid ? live.startTicks : undefined),
};

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function tempRoot(): string {
  const r = mkdtempSync(join(tmpdir(), 'slipway-ws-test-'));
  roots.push(r);
  return r;
}
function dir(parent: string, name: string, ageMs = 0): string {
  const p = join(parent, name);
  mkdirSync(p, { recursive: true });
  writeFileSync(join(p, 'file'), 'x');
  if (ageMs > 0) {
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(p, t, t);
  }
  return p;
}

describe('sync work dirs: process owners', () => {
  it('round-trips an owner token', () => {
    assert.deepEqual(parseOwnerToken(ownerToken(self)), self);
    assert.deepEqual(parseOwnerToken('p7__'), { pid: 7, startTicks: '', boot: '' });
    assert.equal(parseOwnerToken('test'), undefined);
  });

  it('tells live owners from dead ones, pid reuse and restarted containers included', () => {
    const cases: [string, ProcessOwner, boolean][] = [
      ['this process', self, true],
      ['another live process', live, true],
      ['a process that exited', dead, false],
      [
        'this pid in an earlier incarnation (container restart, pid 1 again)',
        { ...self, startTicks: '1' },
        false,
      ],
      ['a reused pid (the live pid started at another time)', { ...live, startTicks: '1' }, false],
      ['an owner from before a reboot', { ...live, boot: 'feedf00d' }, false],
      ['a live pid whose start time is unknown', { ...live, startTicks: '' }, true],
    ];
    for (const [what, owner, alive] of cases) assert.equal(isOwnerAlive(owner, self, probe), alive, what);
  });

  it('reads this process and a child from the operating system', async () => {
    const me = currentProcessOwner();
    assert.equal(me.pid, process.pid);
    assert.ok(isOwnerAlive(me, me, systemProcessProbe));
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    const pid = child.pid!;
    const owner: ProcessOwner = { pid, startTicks: systemProcessProbe.startTicks(pid) ?? '', boot: me.boot };
    assert.ok(isOwnerAlive(owner, me, systemProcessProbe), 'running child is alive');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.equal(isOwnerAlive(owner, me, systemProcessProbe), false, 'killed child is dead');
  });
});

describe('sync work dirs: opening a workspace', () => {
  const hour = 3_600_000;

  it('default dir: removes dead controllers’ dirs and old ownerless scratch, keeps live and foreign ones', () => {
    const root = tempRoot();
    const deadSync = dir(root, `slipway-sync-${ownerToken(dead)}-Ab12Cd`);
    const liveSync = dir(root, `slipway-sync-${ownerToken(live)}-Ef34Gh`);
    const oldLegacy = dir(root, 'slipway-sync-Zz99Yy', 25 * hour);
    const dayLegacy = dir(root, 'slipway-sync-Pp00Oo', 2 * hour);
    const newLegacy = dir(root, 'slipway-sync-Qq11Ww');
    const oldHelm = dir(root, 'slipway-helm-Hh22Jj', 2 * hour);
    const oldCred = dir(root, 'slipway-git-cred-Kk33Ll', 2 * hour);
    const harness = dir(root, 'slipway-sync-test-Mm44Nn', 2 * hour);
    const other = dir(root, 'something-else', 2 * hour);
    const ws = openWorkspace({ tempRoot: root, self, probe });
    assert.deepEqual([...ws.reaped].sort(), [deadSync, oldCred, oldHelm, oldLegacy].sort());
    for (const kept of [liveSync, newLegacy, dayLegacy, harness, other]) assert.ok(existsSync(kept), kept);
    assert.equal(dirname(ws.cacheDir), root);
    assert.match(basename(ws.cacheDir), new RegExp(`^slipway-sync-${ownerToken(self)}-`));
    assert.equal(dirname(dirname(ws.runDir)), ws.cacheDir);
    assert.ok(ws.scratchDir.startsWith(ws.runDir) && existsSync(ws.scratchDir));
    ws.close();
    assert.equal(existsSync(ws.cacheDir), false);
  });

  it('the next start after a kill removes the killed process’ whole default dir', () => {
    const root = tempRoot();
    const first = openWorkspace({ tempRoot: root, self: dead, probe });
    writeFileSync(join(first.scratchDir, 'values.yaml'), 'a: 1');
    // no close(): the process was killed
    const second = openWorkspace({ tempRoot: root, self, probe });
    assert.deepEqual(second.reaped, [first.cacheDir]);
    assert.deepEqual(
      readdirSync(root).filter((n) => n.startsWith('slipway-')),
      [basename(second.cacheDir)],
    );
    second.close();
  });

  it('persistent dir: keeps the Git caches, removes dead run dirs, clears stale git locks only when alone', () => {
    const cache = tempRoot();
    const bare = join(cache, 'repos', 'abc.git');
    mkdirSync(join(bare, 'refs', 'heads'), { recursive: true });
    writeFileSync(join(bare, 'HEAD'), 'ref: refs/heads/main\n');
    const lock = join(bare, 'packed-refs.lock');
    const refLock = join(bare, 'refs', 'heads', 'main.lock');
    writeFileSync(lock, '');
    writeFileSync(refLock, '');
    const deadRun = dir(join(cache, 'run'), `${ownerToken(dead)}-Ab12Cd`);
    const liveRun = dir(join(cache, 'run'), `${ownerToken(live)}-Ef34Gh`);

    const withNeighbour = openWorkspace({ dir: cache, tempRoot: tempRoot(), self, probe });
    assert.deepEqual(withNeighbour.reaped, [deadRun]);
    assert.ok(existsSync(liveRun));
    assert.ok(existsSync(lock) && existsSync(refLock), 'a live neighbour may hold these locks');
    assert.equal(withNeighbour.cacheDir, cache);
    withNeighbour.close();
    assert.equal(existsSync(withNeighbour.runDir), false);
    assert.ok(existsSync(join(bare, 'HEAD')), 'the Git cache survives close');

    rmSync(liveRun, { recursive: true });
    const alone = openWorkspace({ dir: cache, tempRoot: tempRoot(), self, probe });
    assert.equal(existsSync(lock) || existsSync(refLock), false, 'stale locks removed');
    assert.ok(existsSync(join(bare, 'HEAD')));
    alone.close();
  });

  it('routes scratch files into the newest open workspace, and back to the temp dir', () => {
    assert.equal(scratchRoot(), tmpdir());
    const release = useScratchRoot('/somewhere/scratch');
    assert.equal(scratchRoot(), '/somewhere/scratch');
    release();
    assert.equal(scratchRoot(), tmpdir());
  });
});
