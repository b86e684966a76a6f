import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  readonly child: ChildProcess | undefined;
}

/**
 * Starts a component in its own process group with output to a log file. `detached` processes
 * outlive this one (for `slipway dev cluster up`); the caller records their pids to stop them later.
 */
export function startProcess(name: string, command: string, args: string[], logPath: string): ManagedProcess {
  const fd = openSync(logPath, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`cannot start ${name} (${command})`);
  return { name, pid: child.pid, logPath, child };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals the process group (falling back to the process), then waits for it to exit. */
export async function stopProcess(
  pid: number,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5_000,
): Promise<void> {
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  send(signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) {
    send('SIGKILL');
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  }
}
