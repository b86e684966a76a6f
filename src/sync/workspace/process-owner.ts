import { readFileSync } from 'node:fs';

/**
 * Who owns a work directory: a process, named by its pid, its start time (clock ticks since boot,
 * from /proc) and the boot it started in. A pid alone is not enough: a restarted container runs the
 * new controller as the same pid 1, and pids are reused.
 */
export interface ProcessOwner {
  readonly pid: number;
  /** /proc/<pid>/stat field 22; empty where /proc is missing (then only the pid is checked). */
  readonly startTicks: string;
  /** First 8 hex digits of /proc/sys/kernel/random/boot_id; empty where unknown. */
  readonly boot: string;
}

/** What a liveness check needs to ask the operating system. */
export interface ProcessProbe {
  isRunning(pid: number): boolean;
  startTicks(pid: number): string | undefined;
}

/** `p<pid>_<startTicks>_<boot>`: safe in file names, parsed back by `parseOwnerToken`. */
export function ownerToken(owner: ProcessOwner): string {
  return `p${owner.pid}_${owner.startTicks}_${owner.boot}`;
}

const TOKEN = /^p(\d+)_(\d*)_([0-9a-f]*)$/;

export function parseOwnerToken(token: string): ProcessOwner | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  return { pid: Number(m[1]), startTicks: m[2] ?? '', boot: m[3] ?? '' };
}

/**
 * Whether `owner` may still be running, judged from `self` (this process) and the probe. Pure.
 * Unknown facts count as alive: a live controller's directory must never be taken away.
 */
export function isOwnerAlive(owner: ProcessOwner, self: ProcessOwner, probe: ProcessProbe): boolean {
  if (owner.boot && self.boot && owner.boot !== self.boot) return false;
  if (owner.pid === self.pid) return owner.startTicks === self.startTicks;
  if (!probe.isRunning(owner.pid)) return false;
  const ticks = owner.startTicks ? probe.startTicks(owner.pid) : undefined;
  return ticks === undefined || ticks === owner.startTicks;
}

function readStartTicks(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19];
    return ticks && /^\d+$/.test(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').replaceAll('-', '').trim().slice(0, 8);
  } catch {
    return '';
  }
}

/** The operating system's answers: signal 0 for existence, /proc for the start time. */
export const systemProcessProbe: ProcessProbe = {
  isRunning(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      // EPERM: it exists but belongs to someone else.
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  startTicks: (pid) => readStartTicks(pid),
};

let self: ProcessOwner | undefined;

/** This process as an owner. */
export function currentProcessOwner(): ProcessOwner {
  self ??= { pid: process.pid, startTicks: readStartTicks('self') ?? '', boot: readBootId() };
  return self;
}
