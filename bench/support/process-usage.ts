// A controller process's resident memory and CPU time, read from /proc (Linux), the same for a Node
// process and a Go binary.
import { readFileSync } from 'node:fs';

/**
 * User + system CPU seconds the process has used so far; with `children`, also those of the child
 * processes it has waited for (Slipway's kustomize, helm and git runs, which Flux does in-process).
 */
export function cpuSeconds(pid: number, options: { readonly children?: boolean } = {}): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const own = Number(f[11]) + Number(f[12]);
  return (options.children ? own + Number(f[13]) + Number(f[14]) : own) / 100;
}

/** Current resident set size in bytes (0 once the process is gone). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The machine's 1, 5 and 15 minute load averages (what `uptime` prints). */
export function loadAverages(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a, b, c];
}

/**
 * Samples RSS every 200 ms and keeps the peak; `reset` starts a new peak. Several processes (one
 * implementation run as two controllers) are summed at each sample.
 */
export class RssSampler {
  peak = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly pids: readonly number[];

  constructor(pid: number | readonly number[]) {
    this.pids = typeof pid === 'number' ? [pid] : pid;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, this.sample());
    }, 200);
  }

  reset(): void {
    this.peak = this.sample();
  }

  private sample(): number {
    return this.pids.reduce((sum, pid) => sum + rssBytes(pid), 0);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export const mib = (bytes: number): number => Math.round(bytes / 1048576);
