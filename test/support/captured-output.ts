/** Runs `fn` with process stdout and stderr captured into one string; restores both afterwards. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; out: string }> {
  const writes = [process.stdout.write, process.stderr.write];
  let out = '';
  process.stdout.write = process.stderr.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await fn(), out };
  } finally {
    [process.stdout.write, process.stderr.write] = writes as [
      typeof process.stdout.write,
      typeof process.stderr.write,
    ];
  }
}
