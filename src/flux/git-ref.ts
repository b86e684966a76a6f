import { SemverVersion, semverCompare } from '../gotemplate/index.js';
import type { GitRepositoryRef } from './types.js';

/** A resolved GitRepository reference: the commit and Flux's revision string for it. */
export type RefResolution =
  | { readonly kind: 'resolved'; readonly sha: string; readonly revision: string }
  /** A commit not advertised by any ref: fetched by SHA (`revision` is `[<ref>@]sha1:<sha>`). */
  | { readonly kind: 'commit'; readonly sha: string; readonly revision: string }
  | { readonly kind: 'error'; readonly message: string };

type RefMap = ReadonlyMap<string, string>;

/** Flux's revision format: `<named ref>@sha1:<sha>`, or `sha1:<sha>` for a bare commit. */
export function fluxRevision(refName: string | undefined, sha: string): string {
  return refName ? `${refName}@sha1:${sha}` : `sha1:${sha}`;
}

/** The commit SHA of a Flux revision (`main@sha1:abc…`, `sha1:abc…`, or a legacy `main/abc…`). */
export function revisionSha(revision: string): string | undefined {
  const m = /(?:^|@)sha1:([0-9a-f]{40})$/.exec(revision) ?? /\/([0-9a-f]{40})$/.exec(revision);
  return m?.[1];
}

function tagVersion(tag: string): SemverVersion | undefined {
  try {
    return SemverVersion.parse(tag);
  } catch {
    return undefined;
  }
}

function satisfies(range: string, tag: string): boolean {
  try {
    return semverCompare(range, tag);
  } catch {
    return false;
  }
}

/**
 * Resolves a GitRepository `ref` over `git ls-remote` refs the way source-controller checks out:
 * precedence commit > name > semver > tag > branch; no ref means the `master` branch (Flux's
 * default). A commit is fetched by SHA (with a branch, the revision names the branch). Pure.
 */
export function resolveGitRef(refs: RefMap, ref: GitRepositoryRef | undefined): RefResolution {
  const r = ref ?? {};
  const commit = r.commit?.trim();
  if (commit) {
    if (!/^[0-9a-f]{40}$/.test(commit))
      return {
        kind: 'error',
        message: `invalid commit SHA '${commit}': a full 40 character SHA-1 is required`,
      };
    return { kind: 'commit', sha: commit, revision: fluxRevision(r.branch || undefined, commit) };
  }
  if (r.name) {
    const sha = refs.get(r.name);
    if (!sha) return { kind: 'error', message: `unable to resolve ref '${r.name}' to a specific commit` };
    return { kind: 'resolved', sha, revision: fluxRevision(r.name, sha) };
  }
  if (r.semver) {
    let best: { tag: string; v: SemverVersion; sha: string } | undefined;
    for (const [name, sha] of refs) {
      if (!name.startsWith('refs/tags/')) continue;
      const tag = name.slice('refs/tags/'.length);
      const v = tagVersion(tag);
      if (!v || !satisfies(r.semver, tag)) continue;
      if (!best || v.Compare(best.v) > 0) best = { tag, v, sha };
    }
    if (!best) return { kind: 'error', message: `no match found for semver: ${r.semver}` };
    return { kind: 'resolved', sha: best.sha, revision: fluxRevision(best.tag, best.sha) };
  }
  if (r.tag) {
    const sha = refs.get(`refs/tags/${r.tag}`);
    if (!sha) return { kind: 'error', message: `unable to resolve tag '${r.tag}': not found in remote` };
    return { kind: 'resolved', sha, revision: fluxRevision(r.tag, sha) };
  }
  const branch = r.branch || 'master';
  const sha = refs.get(`refs/heads/${branch}`);
  if (!sha)
    return { kind: 'error', message: `unable to clone: couldn't find remote ref "refs/heads/${branch}"` };
  return { kind: 'resolved', sha, revision: fluxRevision(branch, sha) };
}
