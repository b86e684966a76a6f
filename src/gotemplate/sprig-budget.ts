import { TemplateLimitError } from './errors.js';
import type { FuncContext, GoFunc } from './functions.js';

/**
 * A per-execution budget for sprig's expensive functions (key generation, certificates, bcrypt,
 * derivePassword): each takes from tens of milliseconds to seconds, so a `range` over them could hold
 * a notification worker for minutes. The execution context identifies one `execute` call.
 */
export const MAX_EXPENSIVE_CALLS = 16;

const spent = new WeakMap<FuncContext, number>();

function spend(ctx: FuncContext, name: string): void {
  const n = (spent.get(ctx) ?? 0) + 1;
  if (n > MAX_EXPENSIVE_CALLS) {
    throw new TemplateLimitError(
      `${name}: more than ${MAX_EXPENSIVE_CALLS} key, certificate or password-hash calls in one execution`,
    );
  }
  spent.set(ctx, n);
}

/** Wraps each function so that calling it spends from the execution's budget. */
export function expensive(funcs: Readonly<Record<string, GoFunc>>): Record<string, GoFunc> {
  return Object.fromEntries(
    Object.entries(funcs).map(([name, fn]) => [
      name,
      {
        ...fn,
        call: (args: readonly unknown[], ctx: FuncContext) => {
          spend(ctx, name);
          return fn.call(args, ctx);
        },
      },
    ]),
  );
}
