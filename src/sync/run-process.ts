import { spawn } from 'node:child_process';

export interface RunProcessOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  /** Kill the process after this long. Default 60 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Stop reading stdout past this many bytes and kill the process (`stdoutOverflow` is then set).
   * Default: unlimited.
   */
  readonly maxStdoutBytes?: number;
}

export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The process printed more than `maxStdoutBytes` and was killed; `stdout` is then empty. */
  readonly stdoutOverflow?: boolean;
  /** The process ran past `timeoutMs` and was killed. */
  readonly timedOut?: boolean;
}

/** stderr kept for messages; a tool flooding it must not flood memory. */
const MAX_STDERR_BYTES = 256 * 1024;

/** Runs a binary (never through a shell) and collects its output; never throws for a non-zero exit. */
export function runProcess(
  cmd: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a kill reaches what it started too (git's upload-pack and remote
      // helpers): a grandchild holding our pipes open would otherwise keep 'close' from ever coming.
      detached: true,
      ...(options.signal && { signal: options.signal }),
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let stdoutOverflow = false;
    const maxOut = options.maxStdoutBytes ?? Number.POSITIVE_INFINITY;
    child.stdout.on('data', (b: Buffer) => {
      if (stdoutOverflow) return;
      outBytes += b.length;
      if (outBytes > maxOut) {
        stdoutOverflow = true;
        out.length = 0;
        child.stdout.destroy();
        killGroup();
        return;
      }
      out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errBytes >= MAX_STDERR_BYTES) return;
      const part = b.subarray(0, MAX_STDERR_BYTES - errBytes);
      errBytes += part.length;
      err.push(part);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs ?? 60_000);
    // Exited, but something it left behind still holds the pipes: give it 2 s, then end it and them.
    let orphans: NodeJS.Timeout | undefined;
    child.on('exit', () => {
      orphans = setTimeout(() => {
        killGroup();
        child.stdout.destroy();
        child.stderr.destroy();
      }, 2_000);
      orphans.unref();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(orphans);
      resolve({
        code: code ?? (signal ? 137 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ...(stdoutOverflow && { stdoutOverflow }),
        ...(timedOut && { timedOut }),
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
