/**
 * AppProject sync windows, evaluated as Argo CD's `SyncWindows` methods (`Matches`, `Active`,
 * `InactiveAllows`, `CanSync`, and the `SyncWindow:` line of `argocd app get`). Pure: the time comes
 * in as epoch milliseconds. A window is active at `now` when an activation of its schedule (read in
 * its time zone; an unknown zone reads as UTC, as in Argo) lies in `(now - duration, now)`.
 */
import { parseGoDuration, zoneAt } from '../../go/index.js';
import type { SyncWindow } from '../types.js';
import { type CronSchedule, nextActivation, parseCronSchedule } from './cron-schedule.js';
import { matchesWindowGlob } from './window-glob.js';

/** What a window is matched against: the Application's name and destination. */
export interface WindowTarget {
  readonly name: string;
  readonly destination: { readonly server?: string; readonly name?: string; readonly namespace?: string };
}

interface CompiledWindow {
  readonly window: SyncWindow;
  readonly schedule: CronSchedule;
  readonly durationMs: number;
}

export type WindowsResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

function compile(w: SyncWindow): WindowsResult<CompiledWindow> {
  const parsed = parseCronSchedule(w.schedule ?? '');
  if (!parsed.ok) return { ok: false, error: `cannot parse schedule '${w.schedule ?? ''}': ${parsed.error}` };
  const d = parseGoDuration(w.duration ?? '');
  if (!d.ok) return { ok: false, error: `cannot parse duration '${w.duration ?? ''}': ${d.message}` };
  return {
    ok: true,
    value: { window: w, schedule: parsed.schedule, durationMs: Number(d.nanos / 1_000_000n) },
  };
}

/** The window's zone offset at `nowMs`; Argo shifts the clock by it before reading the schedule. */
const offsetMs = (w: SyncWindow, nowMs: number): number =>
  (zoneAt(w.timeZone ?? 'UTC', nowMs)?.offsetSec ?? 0) * 1000;

function isActive(c: CompiledWindow, nowMs: number): boolean {
  const local = nowMs + offsetMs(c.window, nowMs);
  const next = nextActivation(c.schedule, local - c.durationMs);
  return next !== undefined && next < local;
}

function compileAll(windows: readonly SyncWindow[]): WindowsResult<CompiledWindow[]> {
  const out: CompiledWindow[] = [];
  for (const w of windows) {
    const c = compile(w);
    if (!c.ok) return c;
    out.push(c.value);
  }
  return { ok: true, value: out };
}

/**
 * The windows that apply to an app (Argo's `Matches`): any of `applications`, `clusters` (destination
 * name or server) and `namespaces` globs matching, or all of the ones set with `andOperator`.
 */
export function matchingWindows(windows: readonly SyncWindow[] | undefined, app: WindowTarget): SyncWindow[] {
  const out: SyncWindow[] = [];
  for (const w of windows ?? []) {
    const checks: boolean[] = [];
    if ((w.applications ?? []).length > 0)
      checks.push(w.applications!.some((p) => matchesWindowGlob(p, app.name)));
    if ((w.clusters ?? []).length > 0) {
      const { name, server } = app.destination;
      checks.push(
        w.clusters!.some(
          (p) => (!!name && matchesWindowGlob(p, name)) || (!!server && matchesWindowGlob(p, server)),
        ),
      );
    }
    if ((w.namespaces ?? []).length > 0)
      checks.push(w.namespaces!.some((p) => matchesWindowGlob(p, app.destination.namespace ?? '')));
    const matched = w.andOperator ? checks.length > 0 && checks.every(Boolean) : checks.some(Boolean);
    if (matched) out.push(w);
  }
  return out;
}

/** The windows active at `nowMs`; an unparsable window makes the whole set invalid, as in Argo. */
export function activeWindows(windows: readonly SyncWindow[], nowMs: number): WindowsResult<SyncWindow[]> {
  const compiled = compileAll(windows);
  if (!compiled.ok) return compiled;
  return { ok: true, value: compiled.value.filter((c) => isActive(c, nowMs)).map((c) => c.window) };
}

/** Allow windows not active at `nowMs`. */
function inactiveAllows(compiled: readonly CompiledWindow[], nowMs: number): SyncWindow[] {
  return compiled.filter((c) => c.window.kind === 'allow' && !isActive(c, nowMs)).map((c) => c.window);
}

function canSyncAt(compiled: readonly CompiledWindow[], isManual: boolean, atMs: number): boolean {
  const active = compiled.filter((c) => isActive(c, atMs)).map((c) => c.window);
  const denies = active.filter((w) => w.kind === 'deny');
  if (denies.length > 0) return isManual && denies.every((w) => w.manualSync === true);
  if (active.some((w) => w.kind === 'allow')) return true;
  const inactive = inactiveAllows(compiled, atMs);
  if (inactive.length > 0) return isManual && inactive.every((w) => w.manualSync === true);
  return true;
}

export interface CanSyncOptions {
  /** The sync was asked for by a user, not by the automated policy. */
  readonly isManual: boolean;
  /** When the running operation started: `syncOverrun` windows let it continue. */
  readonly operationStartedMs?: number;
}

/**
 * Argo's `CanSync`: an active deny window blocks (a manual sync passes when every active deny window
 * has `manualSync`); otherwise an active allow window permits; otherwise allow windows that exist but
 * are inactive block (manual syncs pass when all of them have `manualSync`); no windows, no limits.
 * `syncOverrun` lets an operation that was allowed when it started run on. Invalid windows block.
 */
export function canSync(
  windows: readonly SyncWindow[],
  nowMs: number,
  options: CanSyncOptions,
): WindowsResult<boolean> {
  if (windows.length === 0) return { ok: true, value: true };
  const compiled = compileAll(windows);
  if (!compiled.ok) return { ok: false, error: `invalid sync windows: ${compiled.error}` };
  const all = compiled.value;
  if (canSyncAt(all, options.isManual, nowMs)) return { ok: true, value: true };
  const started = options.operationStartedMs;
  if (started === undefined) return { ok: true, value: false };
  const active = all.filter((c) => isActive(c, nowMs)).map((c) => c.window);
  const denies = active.filter((w) => w.kind === 'deny');
  const overrun =
    denies.length > 0
      ? denies.every((w) => w.syncOverrun === true)
      : !active.some((w) => w.kind === 'allow') &&
        all.some((c) => c.window.kind === 'allow') &&
        all.every((c) => c.window.kind !== 'allow' || c.window.syncOverrun === true);
  return { ok: true, value: overrun && canSyncAt(all, options.isManual, started) };
}

export type SyncWindowState = 'Sync Allowed' | 'Sync Denied' | 'Manual Allowed';

/** The `SyncWindow:` line of `argocd app get` for the windows matching an app. */
export function syncWindowState(windows: readonly SyncWindow[], nowMs: number): SyncWindowState {
  if (windows.length === 0) return 'Sync Allowed';
  const compiled = compileAll(windows);
  const active = compiled.ok ? compiled.value.filter((c) => isActive(c, nowMs)).map((c) => c.window) : [];
  const deny = active.some((w) => w.kind === 'deny');
  const allow = active.some((w) => w.kind !== 'deny');
  const inactive = compiled.ok && inactiveAllows(compiled.value, nowMs).length > 0;
  if (deny || (!allow && inactive)) {
    const manual = canSync(windows, nowMs, { isManual: true });
    return manual.ok && manual.value ? 'Manual Allowed' : 'Sync Denied';
  }
  return 'Sync Allowed';
}

/** Activations followed from one window's current activation before its end counts as found. */
const MAX_CHAINED_ACTIVATIONS = 1_000;

/**
 * When the active set of windows can next change after `nowMs` (a window opening or closing), so a
 * blocked sync is looked at again then and not before; undefined when no window ever changes.
 */
export function nextWindowChangeMs(windows: readonly SyncWindow[], nowMs: number): number | undefined {
  const compiled = compileAll(windows);
  if (!compiled.ok) return undefined;
  let soonest: number | undefined;
  const consider = (t: number | undefined) => {
    if (t !== undefined && t > nowMs && (soonest === undefined || t < soonest)) soonest = t;
  };
  for (const c of compiled.value) {
    const shift = offsetMs(c.window, nowMs);
    const local = nowMs + shift;
    if (!isActive(c, nowMs)) {
      consider(mapBack(nextActivation(c.schedule, local), shift));
      continue;
    }
    // Active: it closes `duration` after the last of a chain of overlapping activations.
    let fire = nextActivation(c.schedule, local - c.durationMs);
    for (let i = 0; fire !== undefined && i < MAX_CHAINED_ACTIVATIONS; i++) {
      const following = nextActivation(c.schedule, fire);
      if (following === undefined || following >= fire + c.durationMs) break;
      fire = following;
    }
    if (fire !== undefined) consider(fire + c.durationMs - shift);
  }
  return soonest;
}

const mapBack = (local: number | undefined, shift: number): number | undefined =>
  local === undefined ? undefined : local - shift;
