/** Pure revision resolution over `git ls-remote` output, the way Argo CD resolves targetRevision. */

export type RefMap = ReadonlyMap<string, string>;

/** Parses `git ls-remote` lines ("<sha>\t<ref>"); peeled tags (`^{}`) win over annotated tag objects. */
export function parseLsRemote(output: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [sha, ref] = line.trim().split(/\s+/);
    if (!sha || !ref) continue;
    if (ref.endsWith('^{}')) refs.set(ref.slice(0, -3), sha);
    else if (!refs.has(ref)) refs.set(ref, sha);
  }
  return refs;
}

export type Resolution =
  | { readonly kind: 'resolved'; readonly sha: string; readonly ref?: string }
  | { readonly kind: 'commit'; readonly sha: string }
  | { readonly kind: 'unknown' };

const FULL_SHA = /^[0-9a-f]{40}$/;
const PARTIAL_SHA = /^[0-9a-f]{7,39}$/;

/**
 * `HEAD`/empty → the remote HEAD; a branch, a tag, or a full ref → its commit; a full SHA → itself;
 * a short SHA → resolved against the refs when one matches, otherwise fetched and resolved locally.
 */
export function resolveRevision(refs: RefMap, targetRevision: string | undefined): Resolution {
  const target = (targetRevision ?? '').trim();
  if (target === '' || target === 'HEAD') {
    const sha = refs.get('HEAD');
    return sha ? { kind: 'resolved', sha, ref: 'HEAD' } : { kind: 'unknown' };
  }
  for (const ref of [target, `refs/heads/${target}`, `refs/tags/${target}`]) {
    const sha = refs.get(ref);
    if (sha) return { kind: 'resolved', sha, ref };
  }
  if (FULL_SHA.test(target)) return { kind: 'commit', sha: target };
  if (PARTIAL_SHA.test(target)) {
    for (const sha of refs.values()) if (sha.startsWith(target)) return { kind: 'resolved', sha };
    return { kind: 'commit', sha: target };
  }
  return { kind: 'unknown' };
}

/** True when two ref maps differ (a push happened). */
export function refsChanged(a: RefMap | undefined, b: RefMap): boolean {
  if (!a || a.size !== b.size) return true;
  for (const [k, v] of b) if (a.get(k) !== v) return true;
  return false;
}
