import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { SyncError, SyncErrorCode } from '../errors.js';

/** Symlinks followed while resolving one path before it counts as a loop (Linux's MAXSYMLINKS). */
const MAX_SYMLINK_HOPS = 40;

/**
 * Where a repository-relative path leads once its symlinks are followed the way the kernel follows
 * them (`..` after a symlink climbs from the link's target, not from the link):
 * - `inside`: every step stayed in the checkout; `path` is the resolved repository-relative path
 *   (it may not exist: a missing component ends the resolution, the rest is joined lexically);
 * - `outside`: the path leaves the checkout; `via` names the repository-relative path of the symlink
 *   that took it out (or the path itself when plain `..` did);
 * - `loop`: too many symlinks; the OS would refuse to open it, so nothing can be read through it.
 */
export type RepoPathResolution =
  | { readonly kind: 'inside'; readonly path: string; readonly exists: boolean }
  | { readonly kind: 'outside'; readonly via: string }
  | { readonly kind: 'loop' };

function splitPath(p: string): string[] {
  return p.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
}

/**
 * Resolves `relPath` (relative to `root`, which must already be a real path) component by component,
 * refusing absolute symlink targets and any step above `root`, like Argo CD's out-of-bounds check
 * but physical rather than lexical, so `a -> b/..` with `b -> .` is caught too.
 */
export async function resolveInRepo(root: string, relPath: string): Promise<RepoPathResolution> {
  if (isAbsolute(relPath)) return { kind: 'outside', via: relPath };
  // Components still to walk, last first; `from` is the symlink whose target supplied the component,
  // which is the culprit when that component climbs out.
  const pending: { part: string; from?: string }[] = splitPath(relPath)
    .reverse()
    .map((part) => ({ part }));
  const current: string[] = [];
  let hops = 0;
  let missing = false;
  while (pending.length > 0) {
    const { part, from } = pending.pop()!;
    if (part === '..') {
      if (current.length === 0) return { kind: 'outside', via: from ?? relPath };
      current.pop();
      continue;
    }
    if (missing) {
      current.push(part);
      continue;
    }
    const here = [...current, part];
    let isLink = false;
    try {
      isLink = (await lstat(join(root, ...here))).isSymbolicLink();
    } catch {
      missing = true;
    }
    if (!isLink) {
      current.push(part);
      continue;
    }
    if (++hops > MAX_SYMLINK_HOPS) return { kind: 'loop' };
    const target = await readlink(join(root, ...here));
    const linkPath = here.join('/');
    if (isAbsolute(target)) return { kind: 'outside', via: linkPath };
    // The target is relative to the link's directory.
    for (const c of splitPath(target).reverse()) pending.push({ part: c, from: linkPath });
  }
  return { kind: 'inside', path: current.join('/'), exists: !missing };
}

/** The first symlink in the tree (sorted walk) that resolves outside `root`, repository-relative. */
export async function findOutOfBoundsSymlink(root: string): Promise<string | undefined> {
  const realRoot = await realpath(root);
  const walk = async (dirRel: string): Promise<string | undefined> => {
    const entries = await readdir(join(realRoot, dirRel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) {
        const r = await resolveInRepo(realRoot, rel);
        if (r.kind === 'outside') return rel;
      } else if (e.isDirectory()) {
        const found = await walk(rel);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk('');
}

/** Argo CD's wording, so searches for the upstream message find ours. */
export function outOfBoundsSymlinkError(file: string): SyncError {
  return new SyncError(
    SyncErrorCode.OutOfBounds,
    `repository contains out-of-bounds symlinks. file: ${file}`,
  );
}

/**
 * Checks a whole checkout once per commit (checkouts are immutable and keyed by commit): any
 * symlink leaving it fails every render from it, as in Argo CD, because kustomize, helm and our
 * directory reader would otherwise follow it to the controller's own files.
 */
export class SymlinkAudit {
  private readonly results = new Map<string, Promise<string | undefined>>();

  constructor(private readonly maxEntries = 256) {}

  async check(checkoutDir: string): Promise<void> {
    let p = this.results.get(checkoutDir);
    if (!p) {
      p = findOutOfBoundsSymlink(checkoutDir);
      this.results.set(checkoutDir, p);
      p.catch(() => this.results.delete(checkoutDir));
      while (this.results.size > this.maxEntries) {
        const oldest = this.results.keys().next().value;
        if (oldest === undefined) break;
        this.results.delete(oldest);
      }
    }
    const bad = await p;
    if (bad !== undefined) throw outOfBoundsSymlinkError(bad);
  }
}

/** `relative(root, p)` with forward slashes, or undefined when `p` is not under `root`. */
export function repoRelative(root: string, p: string): string | undefined {
  const rel = relative(root, p);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
