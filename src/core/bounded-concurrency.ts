/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in order of start; resolves when all
 * have finished. `fn` handles its own errors: a rejection rejects the whole run after the calls
 * already started have finished, so nothing is left running behind the caller's back.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure !== undefined) throw failure.err;
}
