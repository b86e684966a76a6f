import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  BLOCKED_BY_SYNC_WINDOW,
  canSync,
  decideSyncGate,
  matchingWindows,
  nextActivation,
  nextWindowChangeMs,
  parseCronSchedule,
  type SyncWindow,
  syncWindowState,
} from '../../../src/sync/index.js';

interface Golden {
  cron: { schedule: string; after: string; next: string | null }[];
  cronErrors: { schedule: string; error: string }[];
  canSync: {
    name: string;
    windows: SyncWindow[];
    now: string;
    startedAt?: string;
    auto: boolean;
    manual: boolean;
    state?: string;
    nextChange?: string;
    error?: string;
  }[];
  matches: {
    name: string;
    window: SyncWindow;
    app: { name: string; destination: { server?: string; name?: string; namespace?: string } };
    matches: boolean;
  }[];
}

const golden = JSON.parse(
  readFileSync(new URL('../../golden/sync/sync-windows.json', import.meta.url), 'utf8'),
) as Golden;

describe('golden: cron schedules (robfig/cron semantics)', () => {
  for (const c of golden.cron) {
    it(`${c.schedule} after ${c.after}`, () => {
      const parsed = parseCronSchedule(c.schedule);
      assert.ok(parsed.ok);
      const next = nextActivation(parsed.schedule, Date.parse(c.after));
      assert.equal(next === undefined ? null : new Date(next).toISOString(), c.next);
    });
  }
  for (const c of golden.cronErrors) {
    it(`refuses ${c.schedule}`, () =>
      assert.deepEqual(parseCronSchedule(c.schedule), { ok: false, error: c.error }));
  }
});

describe('golden: sync windows (Argo CD CanSync)', () => {
  for (const c of golden.canSync) {
    it(c.name, () => {
      const now = Date.parse(c.now);
      const started = c.startedAt ? { operationStartedMs: Date.parse(c.startedAt) } : {};
      const auto = canSync(c.windows, now, { isManual: false, ...started });
      const manual = canSync(c.windows, now, { isManual: true, ...started });
      if (c.error) {
        assert.deepEqual(auto, { ok: false, error: c.error });
        return;
      }
      assert.deepEqual(auto, { ok: true, value: c.auto }, 'automated');
      assert.deepEqual(manual, { ok: true, value: c.manual }, 'manual');
      if (c.state) assert.equal(syncWindowState(c.windows, now), c.state);
      if (c.nextChange) {
        const next = nextWindowChangeMs(c.windows, now);
        assert.equal(next === undefined ? null : new Date(next).toISOString(), c.nextChange);
      }
    });
  }
});

describe('golden: which windows apply to an app (Argo CD Matches)', () => {
  for (const c of golden.matches) {
    it(c.name, () => {
      const w = { kind: 'deny', schedule: '* * * * *', duration: '1h', ...c.window };
      assert.equal(matchingWindows([w], c.app).length === 1, c.matches);
    });
  }
});

describe('sync gate: blocked syncs are looked at again at the next window boundary', () => {
  const deny: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '1h', manualSync: true };
  it('an automated sync inside a deny window waits until the window closes (plus 1 s)', () => {
    const now = Date.parse('2026-12-06T22:30:00Z');
    assert.deepEqual(decideSyncGate({ windows: [deny], nowMs: now, isManual: false }), {
      kind: 'blocked',
      message: BLOCKED_BY_SYNC_WINDOW,
      recheckAfterMs: 30 * 60_000 + 1_000,
    });
  });
  it('a manual sync passes a manualSync deny window', () => {
    const now = Date.parse('2026-12-06T22:30:00Z');
    assert.deepEqual(decideSyncGate({ windows: [deny], nowMs: now, isManual: true }), { kind: 'open' });
  });
  it('outside every allow window it waits for the next one to open', () => {
    const allow: SyncWindow = { kind: 'allow', schedule: '0 9 * * *', duration: '8h' };
    const now = Date.parse('2026-12-06T20:00:00Z');
    const gate = decideSyncGate({ windows: [allow], nowMs: now, isManual: false });
    assert.equal(gate.kind === 'blocked' && gate.recheckAfterMs, 13 * 3_600_000 + 1_000);
  });
  it('invalid windows block with the reason', () => {
    const gate = decideSyncGate({
      windows: [{ kind: 'deny', schedule: 'nope', duration: '1h' }],
      nowMs: 0,
      isManual: true,
    });
    assert.equal(gate.kind, 'blocked');
    assert.match(
      gate.kind === 'blocked' ? gate.message : '',
      /^Sync operation blocked by sync window: invalid sync windows: cannot parse schedule 'nope'/,
    );
  });
});
