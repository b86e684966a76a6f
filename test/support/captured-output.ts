/**
 * Runs `fn` with process stdout and stderr captured into one string; restores both afterwards. Only text
 * is captured: the CLI writes strings, while a `node --test` child reports to its runner in binary
 * chunks on the same stdout, which must reach the runner even when they are flushed during `fn` (as they
 * are when `fn` waits on I/O, e.g. the CLI importing a command's module).
 */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; out: string }> {
  const writes = [process.stdout.write, process.stderr.write] as const;
  let out = '';
  const capture = (stream: NodeJS.WriteStream, original: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (typeof chunk !== 'string')
        return (original as (c: Uint8Array, ...r: unknown[]) => boolean).call(stream, chunk, ...rest);
      out += chunk;
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(process.stdout, writes[0]);
  process.stderr.write = capture(process.stderr, writes[1]);
  try {
    return { result: await fn(), out };
  } finally {
    [process.stdout.write, process.stderr.write] = writes;
  }
}
