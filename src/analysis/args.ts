import type { Argument, Metric } from './types.js';

/** What a secret value is replaced with in messages and logs. */
export const REDACTED = '*****';

/** Stands in for secret values when metrics are resolved for validation and scheduling only. */
const SECRET_PLACEHOLDER = 'temp-for-secret';

export type SubstituteResult =
  | { readonly ok: true; readonly metric: Metric }
  | { readonly ok: false; readonly message: string };

/**
 * Replaces every `{{args.name}}` (spaces inside the braces allowed) in the metric with the arg's value,
 * like Argo's `ResolveQuotedArgs`: the substitution happens in the metric's JSON text with the value
 * JSON-escaped, so quotes, backslashes and newlines in values cannot break out of a field. A tag with no
 * value fails with `failed to resolve {{tag}}`.
 */
export function substituteArgs(metric: Metric, values: ReadonlyMap<string, string>): SubstituteResult {
  const json = JSON.stringify(metric);
  let unresolved: string | undefined;
  const replaced = json.replace(/\{\{(.*?)\}\}/g, (whole, tag: string) => {
    const value = values.get(tag.trim());
    if (value === undefined) {
      unresolved ??= `failed to resolve {{${tag}}}`;
      return whole;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (unresolved !== undefined) return { ok: false, message: unresolved };
  return { ok: true, metric: JSON.parse(replaced) as Metric };
}

/** `args.<name>` → value for args that have a value; secret args get a placeholder. */
export function argValuesWithoutSecrets(args: readonly Argument[] | undefined): Map<string, string> {
  const values = new Map<string, string>();
  for (const arg of args ?? []) {
    if (arg.valueFrom?.secretKeyRef !== undefined) values.set(`args.${arg.name}`, SECRET_PLACEHOLDER);
    else if (arg.value !== undefined) values.set(`args.${arg.name}`, arg.value);
  }
  return values;
}

/** `args.<name>` → value, secrets included (resolved by the caller). */
export function argValues(
  args: readonly Argument[] | undefined,
  secrets: ReadonlyMap<string, string>,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const arg of args ?? []) {
    const secret = secrets.get(arg.name);
    if (secret !== undefined) values.set(`args.${arg.name}`, secret);
    else if (arg.value !== undefined) values.set(`args.${arg.name}`, arg.value);
  }
  return values;
}

/** Resolves every metric for validation and scheduling, secrets replaced by a placeholder. */
export function resolveMetricsWithoutSecrets(
  metrics: readonly Metric[],
  args: readonly Argument[] | undefined,
): { readonly ok: true; readonly metrics: Metric[] } | { readonly ok: false; readonly message: string } {
  const values = argValuesWithoutSecrets(args);
  const out: Metric[] = [];
  for (const metric of metrics) {
    const r = substituteArgs(metric, values);
    if (!r.ok) return r;
    out.push(r.metric);
  }
  return { ok: true, metrics: out };
}

/** Replaces every non-empty secret value in `text` with `*****`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join(REDACTED);
  return out;
}
