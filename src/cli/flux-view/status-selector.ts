import type { FluxListObject } from './flux-kinds.js';

/** `--status-selector type=status` or `type!=status`, as `flux get` parses it. */
export interface StatusSelector {
  readonly type: string;
  readonly status: string;
  readonly negated: boolean;
}

/** Parses a selector; undefined with the CLI's message when it has neither `=` nor `!=`. */
export function parseStatusSelector(text: string): StatusSelector | { readonly error: string } {
  const negated = text.includes('!=');
  const separator = negated ? '!=' : '=';
  const at = text.indexOf(separator);
  if (at < 0)
    return { error: `expected status selector in type=status or type!=status format, but found: ${text}` };
  return { type: text.slice(0, at), status: text.slice(at + separator.length), negated };
}

const equalFold = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Whether an object matches: its last condition whose type equals the selector's (case-insensitive) has that
 * status (case-insensitive); no such condition never matches (so `ready!=true` keeps it). Pure.
 */
export function matchesStatusSelector(object: FluxListObject, selector: StatusSelector): boolean {
  const found = (object.status?.conditions ?? []).findLast((c) => equalFold(c.type, selector.type));
  const matches = found !== undefined && equalFold(found.status, selector.status);
  return selector.negated ? !matches : matches;
}
