import { createTimeNamespace, GoDuration, GoInt, parseRfc3339 } from '../../../src/gotemplate/index.js';

/** Functions a golden fixture can place in its data with `{"$func": "name"}`. */
const FUNCS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  echo: (x: unknown) => x,
  concat: (...xs: unknown[]) => xs.map(String).join('+'),
  getCommitMetadata: (rev: unknown) => ({
    Author: 'Jane Doe <jane@example.com>',
    Message: `fix: ${String(rev)}`,
  }),
  throws: () => {
    throw new Error('boom');
  },
  nothing: () => null,
};

/**
 * Decodes fixture data: plain numbers are float64s as in JSON-decoded Go data, `{"$int": n}` is a Go
 * int (the typed fields of Go's own exec tests), `{"$time": "<RFC 3339>"}` becomes a GoTime, `{"$duration": ns}` a GoDuration,
 * `{"$timeNamespace": true}` the argocd-notifications `time` namespace on the fixture clock, and
 * `{"$func": "name"}` one of the functions above.
 */
export function decodeData(value: unknown, clock: () => Date): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeData(v, clock));
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (typeof obj.$int === 'number') return new GoInt(obj.$int);
  if (typeof obj.$time === 'string') return parseRfc3339(obj.$time);
  if (typeof obj.$duration === 'number') return new GoDuration(obj.$duration);
  if (obj.$timeNamespace === true) return createTimeNamespace(clock);
  if (typeof obj.$func === 'string') {
    const fn = FUNCS[obj.$func];
    if (!fn) throw new Error(`unknown fixture function ${obj.$func}`);
    return fn;
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, decodeData(v, clock)]));
}
