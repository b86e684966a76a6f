/** An ImagePolicy's `status.latestRef` (image.toolkit.fluxcd.io/v1 ImageRef). */
export interface ImageRef {
  readonly name: string;
  readonly tag: string;
  readonly digest?: string;
}

/** One ImagePolicy as the setters see it: where it lives and what it picked. */
export interface PolicyLatest {
  readonly namespace: string;
  readonly name: string;
  readonly latestRef: ImageRef;
}

/** Flux's `ImageRef.String()`: `name:tag`, then `@digest` when there is one. */
export function imageRefString(ref: ImageRef): string {
  return `${ref.name}:${ref.tag}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** What a marked field gets from one setter, and which policy it came from. */
export interface SetterValue {
  readonly value: string;
  readonly policy: { readonly namespace: string; readonly name: string };
}

/**
 * The setters Flux's image-automation-controller defines per policy: `ns:name` (the whole image
 * reference), `ns:name:tag`, `ns:name:name` and `ns:name:digest`. Pure.
 */
export function setterValues(policies: readonly PolicyLatest[]): ReadonlyMap<string, SetterValue> {
  const out = new Map<string, SetterValue>();
  for (const p of policies) {
    const policy = { namespace: p.namespace, name: p.name };
    const base = `${p.namespace}:${p.name}`;
    out.set(base, { value: imageRefString(p.latestRef), policy });
    out.set(`${base}:tag`, { value: p.latestRef.tag, policy });
    out.set(`${base}:name`, { value: p.latestRef.name, policy });
    out.set(`${base}:digest`, { value: p.latestRef.digest ?? '', policy });
  }
  return out;
}

/** The token a file must contain to be looked at (Flux's screening reader: `"$imagepolicy"`). */
export const SETTER_TOKEN = '"$imagepolicy"';

/**
 * The setter a comment names, kyaml's short-hand grammar: the comment text without its leading `#`s
 * is a JSON object of strings with a non-empty `$imagepolicy`. Anything else is an ordinary comment.
 */
export function markerSetter(comment: string): string | undefined {
  const text = comment.replace(/^#+/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (entries.some(([, v]) => typeof v !== 'string')) return undefined;
  const name = (parsed as Record<string, string>).$imagepolicy;
  return name ? name : undefined;
}
