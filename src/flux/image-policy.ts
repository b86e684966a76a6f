import { compileRegex } from '../expr/index.js';
import { parseSemverConstraint, type SemverConstraint, SemverVersion } from '../gotemplate/index.js';
import type { ImagePolicyChoice, ImageRef, TagFilter } from './image-types.js';

/** image-reflector-controller's policy package: one way of picking the latest tag. */
export interface Policer {
  /** The latest of `tags`, or Flux's error message. */
  latest(
    tags: readonly string[],
  ): { readonly ok: true; readonly tag: string } | { readonly ok: false; readonly message: string };
}

export type PolicerResult =
  | { readonly ok: true; readonly policer: Policer }
  | { readonly ok: false; readonly message: string };

const EMPTY = 'version list argument cannot be empty';
const fail = (message: string) => ({ ok: false as const, message });

/** fluxcd/pkg/version.ParseVersion: Masterminds' loose NewVersion, but only with three dot-separated parts. */
function parseVersion(tag: string): SemverVersion | undefined {
  if (tag.split('.').length < 3 || tag.length > 256) return undefined;
  try {
    return SemverVersion.parse(tag);
  } catch {
    return undefined;
  }
}

function semverPolicer(constraint: SemverConstraint): Policer {
  return {
    latest(tags) {
      if (tags.length === 0) return fail(EMPTY);
      let best: SemverVersion | undefined;
      for (const tag of tags) {
        const v = parseVersion(tag);
        if (v && constraint.check(v) && (!best || v.GreaterThan(best))) best = v;
      }
      return best
        ? { ok: true, tag: best.Original() }
        : fail('unable to determine latest version from provided list');
    },
  };
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function alphabeticalPolicer(order: 'ASC' | 'DESC'): Policer {
  return {
    latest(tags) {
      if (tags.length === 0) return fail(EMPTY);
      const sorted = [...tags].sort(byteOrder);
      const tag = order === 'DESC' ? sorted[0] : sorted[sorted.length - 1];
      return { ok: true, tag: tag ?? '' };
    },
  };
}

/** strconv.ParseFloat(s, 64) for decimal input: digits with an optional fraction and exponent, Inf, NaN. */
function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return Number(s);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (!special) return undefined;
  if (special[2]?.toLowerCase() === 'nan') return special[1] === '' ? Number.NaN : undefined;
  return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

function numericalPolicer(order: 'ASC' | 'DESC'): Policer {
  return {
    latest(tags) {
      if (tags.length === 0) return fail(EMPTY);
      let latest = '';
      let pv = 0;
      for (const [i, tag] of tags.entries()) {
        const cv = parseGoFloat(tag);
        if (cv === undefined) return fail(`failed to parse invalid numeric value '${tag}'`);
        if (i > 0 && ((order === 'ASC' && cv < pv) || (order === 'DESC' && cv > pv))) continue;
        latest = tag;
        pv = cv;
      }
      return { ok: true, tag: latest };
    },
  };
}

function orderOf(order: string | undefined): 'ASC' | 'DESC' | { readonly bad: string } {
  const upper = (order ?? '').toUpperCase();
  if (upper === '' || upper === 'ASC') return 'ASC';
  if (upper === 'DESC') return 'DESC';
  return { bad: upper };
}

/** PolicerFromSpec with its error messages (`semver` first, then `alphabetical`, then `numerical`). Pure. */
export function policerFromSpec(choice: ImagePolicyChoice | undefined): PolicerResult {
  if (choice?.semver) {
    try {
      return { ok: true, policer: semverPolicer(parseSemverConstraint(choice.semver.range, { v35: true })) };
    } catch (err) {
      return fail((err as Error).message);
    }
  }
  const ordered = choice?.alphabetical ?? choice?.numerical;
  if (ordered) {
    const order = orderOf(ordered.order);
    if (typeof order === 'object')
      return fail(`invalid order argument provided: '${order.bad}', must be one of: ASC, DESC`);
    return { ok: true, policer: choice?.alphabetical ? alphabeticalPolicer(order) : numericalPolicer(order) };
  }
  return fail('given ImagePolicyChoice object is invalid');
}

/** Go's Regexp.Expand of `$1`, `${1}`, `$name`, `${name}` and `$$` against one match. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (_, all: string, braced?: string, bare?: string) => {
      if (all === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
      return match.groups?.[name] ?? '';
    },
  );
}

/** A RegexFilter applied: the (extracted) tags kept, each mapped back to its original tag. */
export type FilterResult =
  | { readonly ok: true; readonly tags: readonly string[]; readonly original: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly message: string };

/** NewRegexFilter + Apply: tags the pattern finds a match in, replaced by `extract` when given. Pure. */
export function applyTagFilter(filter: TagFilter, tags: readonly string[]): FilterResult {
  const pattern = filter.pattern ?? '';
  const re = compileRegex(pattern);
  if (typeof re === 'string') return fail(`invalid regular expression pattern '${pattern}': ${re}`);
  const original = new Map<string, string>();
  for (const item of tags) {
    const m = re.exec(item);
    if (!m) continue;
    original.set(filter.extract ? expand(filter.extract, m) : item, item);
  }
  return { ok: true, tags: [...original.keys()], original };
}

/** What applying an ImagePolicy to its repository's tags gives. */
export type PolicyOutcome =
  | { readonly kind: 'latest'; readonly tag: string }
  /** Stalled, reason InvalidPolicy: the spec must change. */
  | { readonly kind: 'invalid'; readonly message: string }
  /** Ready=False, reason Failure: retried. */
  | { readonly kind: 'failed'; readonly message: string };

/** applyPolicy over tags read from the store (non-empty). Pure. */
export function applyImagePolicy(
  choice: ImagePolicyChoice | undefined,
  filter: TagFilter | undefined,
  tags: readonly string[],
): PolicyOutcome {
  const p = policerFromSpec(choice);
  if (!p.ok) return { kind: 'invalid', message: `invalid policy: ${p.message}` };
  if (!filter) {
    const r = p.policer.latest(tags);
    return r.ok ? { kind: 'latest', tag: r.tag } : { kind: 'failed', message: r.message };
  }
  const f = applyTagFilter(filter, tags);
  if (!f.ok) return { kind: 'invalid', message: `failed to filter tags: ${f.message}` };
  const r = p.policer.latest(f.tags);
  return r.ok ? { kind: 'latest', tag: f.original.get(r.tag) ?? '' } : { kind: 'failed', message: r.message };
}

/** ImageRef.String(): `name:tag[@digest]`. */
export const imageRefString = (r: ImageRef) => `${r.name}:${r.tag}${r.digest ? `@${r.digest}` : ''}`;

const sameRef = (a: ImageRef | undefined, b: ImageRef | undefined) =>
  a?.name === b?.name && a?.tag === b?.tag && (a?.digest ?? '') === (b?.digest ?? '');

/** updateImageRefs: a new latest ref moves the old one to `observedPreviousRef`; an unchanged one keeps both. Pure. */
export function nextImageRefs(
  status: { readonly latestRef?: ImageRef; readonly observedPreviousRef?: ImageRef } | undefined,
  latest: ImageRef,
): { readonly latestRef: ImageRef; readonly observedPreviousRef?: ImageRef } {
  if (status?.latestRef && sameRef(status.latestRef, latest))
    return {
      latestRef: status.latestRef,
      ...(status.observedPreviousRef && { observedPreviousRef: status.observedPreviousRef }),
    };
  return { latestRef: latest, ...(status?.latestRef && { observedPreviousRef: status.latestRef }) };
}

/** composeImagePolicyReadyMessage. Pure. */
export function imagePolicyReadyMessage(latest: ImageRef, previous: ImageRef | undefined): string {
  let msg = `Latest image tag for ${latest.name} resolved to ${latest.tag}`;
  if (latest.digest) msg += ` with digest ${latest.digest}`;
  if (previous && !sameRef(latest, previous))
    msg += ` (previously ${previous.name}:${previous.tag}${previous.digest ? `@${previous.digest}` : ''})`;
  return msg;
}
