import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncError, SyncErrorCode } from '../errors.js';
import type { CredentialSource } from './credentials.js';
import { git } from './git.js';
import { parseLsRemote, type RefMap, refsChanged, resolveRevision } from './revision.js';

export interface RepoCacheOptions {
  /** Holds one bare repository per repo URL (and the checkouts, unless `checkoutDir` is set). */
  readonly dir: string;
  /** Where checkouts go. Default `<dir>/checkouts`. */
  readonly checkoutDir?: string;
  readonly credentials: CredentialSource;
  /** Checkouts kept per repository (oldest removed first). Default 6. */
  readonly checkoutsPerRepo?: number;
  readonly now?: () => number;
}

/** What Argo CD's RevisionMetadata shows of a commit. */
export interface CommitMetadata {
  /** `Name <email>`. */
  readonly author: string;
  /** RFC 3339. */
  readonly date: string;
  /** The whole message, at most `MAX_COMMIT_MESSAGE` characters. */
  readonly message: string;
}

const MAX_COMMIT_MESSAGE = 2_000;
const COMMIT_METADATA_KEPT = 2_000;

interface RepoEntry {
  readonly url: string;
  readonly bareDir: string;
  lock: Promise<unknown>;
  /** `at` is when the answer was asked for, so an answer is never taken for newer than it is. */
  refs?: { readonly map: RefMap; readonly at: number };
  /** Bumped by `invalidate`: an answer asked for before it is not stored. */
  refsEpoch: number;
  /** The refs last stored, kept through `invalidate`: what a new answer is compared with. */
  seen?: RefMap;
  readonly commits: Set<string>;
  readonly checkouts: Map<string, Promise<string>>;
}

/**
 * Git access for the sync loop through the real `git` CLI: one bare cache per repository, `ls-remote`
 * for revision resolution (cached until refreshed), fetches only for commits not yet cached, and one
 * read-only checkout per commit shared by every Application rendering it.
 */
export class RepoCache {
  private readonly repos = new Map<string, RepoEntry>();
  private readonly metadata = new Map<string, CommitMetadata>();
  private readonly now: () => number;
  private readonly refsListeners: ((url: string) => void)[] = [];

  constructor(private readonly options: RepoCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  private entry(url: string): RepoEntry {
    let e = this.repos.get(url);
    if (!e) {
      const id = createHash('sha256').update(url).digest('hex').slice(0, 16);
      e = {
        url,
        bareDir: join(this.options.dir, 'repos', `${id}.git`),
        lock: Promise.resolve(),
        refsEpoch: 0,
        checkouts: new Map(),
        commits: new Set(),
      };
      this.repos.set(url, e);
    }
    return e;
  }

  /** Serialises git work on one repository (fetches and checkouts share its object store). */
  private locked<T>(e: RepoEntry, fn: () => Promise<T>): Promise<T> {
    const run = e.lock.then(fn, fn);
    e.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Calls `listener` with the repository URL whenever an `ls-remote` answer, whoever asked for it (the
   * poller, a reconcile resolving a revision), differs from the refs last seen. Comparing in the one
   * place answers are stored means no asker can take a push unseen by the others.
   */
  onRefsChanged(listener: (url: string) => void): void {
    this.refsListeners.push(listener);
  }

  /** The repository's refs; `maxAgeMs` reuses a recent answer (0 = always ask the remote). */
  async refs(url: string, maxAgeMs = 0): Promise<RefMap> {
    const e = this.entry(url);
    if (e.refs && this.now() - e.refs.at <= maxAgeMs) return e.refs.map;
    const askedAt = this.now();
    const epoch = e.refsEpoch;
    const creds = await this.options.credentials.credentialsFor(url);
    const out = await git(['ls-remote', '--', url], {
      ...(creds && { credentials: creds }),
      timeoutMs: 30_000,
    });
    const map = parseLsRemote(out);
    // Concurrent answers: a slower, older one never replaces a newer one (nor one asked after invalidate).
    if (epoch === e.refsEpoch && (!e.refs || e.refs.at <= askedAt)) {
      e.refs = { map, at: askedAt };
      const previous = e.seen;
      e.seen = map;
      if (previous !== undefined && refsChanged(previous, map))
        for (const listener of this.refsListeners) listener(url);
    }
    return map;
  }

  /** Forgets the cached refs so the next resolution asks the remote (webhook, hard refresh). */
  invalidate(url: string): void {
    const e = this.repos.get(url);
    if (!e) return;
    e.refs = undefined;
    e.refsEpoch++;
  }

  /** Resolves `targetRevision` to a commit SHA present in the local cache. */
  async resolve(url: string, targetRevision: string | undefined, maxAgeMs: number): Promise<string> {
    const refs = await this.refs(url, maxAgeMs);
    const r = resolveRevision(refs, targetRevision);
    if (r.kind === 'unknown') {
      throw new SyncError(
        SyncErrorCode.RevisionNotFound,
        `unable to resolve '${targetRevision ?? 'HEAD'}' to a commit SHA: no such branch, tag or commit in ${url}`,
      );
    }
    return this.ensureCommit(url, r.sha);
  }

  private async ensureCommit(url: string, sha: string): Promise<string> {
    const e = this.entry(url);
    if (e.commits.has(sha)) return Promise.resolve(sha);
    return this.locked(e, async () => {
      if (e.commits.has(sha)) return sha;
      // `git init` on an existing repository is harmless, and completes one a killed process left half made.
      if (!existsSync(join(e.bareDir, 'HEAD')) || !existsSync(join(e.bareDir, 'config'))) {
        await mkdir(e.bareDir, { recursive: true });
        await git(['init', '--bare', '--quiet', e.bareDir]);
      }
      const local = await this.revParse(e, sha);
      if (local) {
        e.commits.add(local);
        return local;
      }
      const creds = await this.options.credentials.credentialsFor(url);
      await git(
        [
          `--git-dir=${e.bareDir}`,
          'fetch',
          '--quiet',
          '--prune',
          '--force',
          '--tags',
          '--',
          url,
          '+refs/heads/*:refs/heads/*',
        ],
        { ...(creds && { credentials: creds }) },
      );
      const fetched = await this.revParse(e, sha);
      if (!fetched) {
        throw new SyncError(
          SyncErrorCode.RevisionNotFound,
          `unable to resolve '${sha}' to a commit SHA in ${url}`,
        );
      }
      e.commits.add(fetched);
      return fetched;
    });
  }

  private async revParse(e: RepoEntry, rev: string): Promise<string | undefined> {
    try {
      return (
        await git([`--git-dir=${e.bareDir}`, 'rev-parse', '--verify', '--quiet', `${rev}^{commit}`])
      ).trim();
    } catch {
      return undefined;
    }
  }

  /**
   * A commit's author, date and message (`git log -1`), fetched into the cache when missing. Commits
   * never change, so answers are kept (at most `COMMIT_METADATA_KEPT`, oldest dropped first).
   */
  async commitMetadata(url: string, sha: string): Promise<CommitMetadata> {
    const e = this.entry(url);
    const key = `${url}@${sha}`;
    const known = this.metadata.get(key);
    if (known !== undefined) return known;
    if (!/^[0-9a-f]{4,64}$/i.test(sha))
      throw new SyncError(SyncErrorCode.RevisionNotFound, `'${sha.slice(0, 80)}' is not a commit SHA`);
    const commit = await this.ensureCommit(url, sha);
    // unit separator between fields: none of them may contain it
    const out = await git([
      `--git-dir=${e.bareDir}`,
      'log',
      '-1',
      '--no-color',
      '--format=%an <%ae>%x1f%aI%x1f%B',
      commit,
    ]);
    const [author = '', date = '', ...rest] = out.split('\x1f');
    const message = rest.join('\x1f');
    const trimmed = message.trim();
    const meta: CommitMetadata = {
      author: author.slice(0, 200),
      date,
      message: trimmed.length > MAX_COMMIT_MESSAGE ? `${trimmed.slice(0, MAX_COMMIT_MESSAGE)}…` : trimmed,
    };
    this.metadata.set(key, meta);
    if (this.metadata.size > COMMIT_METADATA_KEPT) {
      const oldest = this.metadata.keys().next().value;
      if (oldest !== undefined) this.metadata.delete(oldest);
    }
    return meta;
  }

  /** A read-only checkout of `sha` (full tree: Kustomize bases live outside the app path). */
  checkout(url: string, sha: string): Promise<string> {
    const e = this.entry(url);
    let p = e.checkouts.get(sha);
    if (!p) {
      p = this.locked(e, () => this.writeCheckout(e, sha));
      e.checkouts.set(sha, p);
      p.catch(() => e.checkouts.delete(sha));
      void this.trim(e);
    }
    return p;
  }

  private async writeCheckout(e: RepoEntry, sha: string): Promise<string> {
    const base = join(
      this.options.checkoutDir ?? join(this.options.dir, 'checkouts'),
      `${createHash('sha256').update(e.url).digest('hex').slice(0, 16)}-${sha}`,
    );
    const tree = join(base, 'tree');
    if (existsSync(join(base, '.complete'))) return tree;
    await rm(base, { recursive: true, force: true });
    await mkdir(tree, { recursive: true });
    // A private index file keeps concurrent checkouts of one bare repository independent.
    await git(
      [
        '-c',
        'core.bare=false',
        `--git-dir=${e.bareDir}`,
        `--work-tree=${tree}`,
        'checkout',
        '--quiet',
        '--force',
        sha,
        '--',
        '.',
      ],
      { env: { GIT_INDEX_FILE: join(base, 'index') } },
    );
    await writeFile(join(base, '.complete'), sha);
    return tree;
  }

  private async trim(e: RepoEntry): Promise<void> {
    const keep = this.options.checkoutsPerRepo ?? 6;
    while (e.checkouts.size > keep) {
      const [oldest, p] = e.checkouts.entries().next().value as [string, Promise<string>];
      e.checkouts.delete(oldest);
      const dir = await p.catch(() => undefined);
      // Give renders still reading the old tree a moment before removing it.
      if (dir) setTimeout(() => void rm(join(dir, '..'), { recursive: true, force: true }), 30_000).unref();
    }
  }
}
