import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git, type RepoCredentials } from '../../sync/index.js';

/** Where an automation run starts: the commit to check out and the ref that names it on the remote. */
export interface CheckoutPoint {
  /** The commit the checkout ref resolved to. */
  readonly sha: string;
  /** A remote ref to fetch that holds `sha` (`refs/heads/main`, `refs/tags/v1`); all heads when absent. */
  readonly remoteRef?: string;
}

export interface AutomationGitOptions {
  readonly url: string;
  readonly credentials?: RepoCredentials;
  /** Per git operation. */
  readonly timeoutMs: number;
  /** A directory to make the working clone in (removed by `dispose`). */
  readonly scratchDir: string;
}

export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
}

/** How a push ended: `rejected` means the remote moved on (non-fast-forward): start over from a new clone. */
export type PushOutcome =
  | { readonly kind: 'pushed' }
  | { readonly kind: 'rejected'; readonly message: string };

/** A commit as `git cat-file commit` shows it: its first parent, author and committer time, message. */
export interface CommitRecord {
  readonly sha: string;
  readonly parent?: string;
  readonly tree: string;
  readonly author: CommitAuthor;
  readonly committedAt: Date;
  readonly message: string;
}

/** Parses `git cat-file commit` output (headers, a blank line, the message as committed). Pure. */
export function parseCommitRecord(sha: string, raw: string): CommitRecord | undefined {
  const end = raw.indexOf('\n\n');
  const headers = (end < 0 ? raw : raw.slice(0, end)).split('\n');
  const field = (name: string) => headers.find((h) => h.startsWith(`${name} `))?.slice(name.length + 1);
  const tree = field('tree');
  const author = /^(.*) <(.*)> \d+ [+-]\d{4}$/.exec(field('author') ?? '');
  const committer = /^.* <.*> (\d+) [+-]\d{4}$/.exec(field('committer') ?? '');
  if (!tree || !author || !committer) return undefined;
  const parent = field('parent');
  return {
    sha,
    tree,
    ...(parent !== undefined && { parent }),
    author: { name: author[1] ?? '', email: author[2] ?? '' },
    committedAt: new Date(Number(committer[1]) * 1000),
    message: end < 0 ? '' : raw.slice(end + 2),
  };
}

const NON_FAST_FORWARD = /non-fast-forward|fetch first|\[rejected\]|stale info|failed to update ref/i;

/**
 * A writable clone for one automation run, through the real git CLI with the sync loop's guards (no
 * prompts, redacted messages, credentials in the child's environment only, a timeout per command).
 * The clone holds the push branch checked out at its starting commit.
 */
export class AutomationClone {
  private constructor(
    private readonly o: AutomationGitOptions,
    readonly dir: string,
    private readonly base: string,
  ) {}

  /**
   * Clones `start` into a fresh directory and checks out `pushBranch` there: from the remote push
   * branch when it exists and differs from the checkout branch (`pushFrom`), else from `start`.
   */
  static async open(
    o: AutomationGitOptions,
    start: CheckoutPoint,
    pushBranch: string,
    pushFrom?: CheckoutPoint,
  ): Promise<AutomationClone> {
    const base = await mkdtemp(join(o.scratchDir, 'slipway-image-automation-'));
    const clone = new AutomationClone(o, join(base, 'repo'), base);
    try {
      await git(['init', '--quiet', clone.dir], { timeoutMs: o.timeoutMs });
      const from = pushFrom ?? start;
      const refspecs = from.remoteRef ? [from.remoteRef] : ['+refs/heads/*:refs/remotes/origin/*'];
      await clone.run(['fetch', '--quiet', '--no-tags', '--', o.url, ...refspecs]);
      await clone.run(['checkout', '--quiet', '-B', pushBranch, from.sha]);
      return clone;
    } catch (err) {
      await clone.dispose();
      throw err;
    }
  }

  private run(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<string> {
    return git(['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      timeoutMs: this.o.timeoutMs,
      ...(this.o.credentials && { credentials: this.o.credentials }),
      ...(env && { env }),
    });
  }

  /** Stages everything and commits it; undefined when nothing was staged (no commit made). */
  async commit(message: string, author: CommitAuthor, at: Date): Promise<string | undefined> {
    await this.run(['add', '--all']);
    const staged = (await this.run(['diff', '--cached', '--name-only'])).trim();
    if (staged === '') return undefined;
    const file = join(this.base, 'message');
    await writeFile(file, message);
    const date = `${Math.floor(at.getTime() / 1000)} +0000`;
    await this.run(
      ['commit', '--quiet', '--no-verify', '--allow-empty-message', '--cleanup=verbatim', '-F', file],
      {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_COMMITTER_DATE: date,
      },
    );
    return (await this.run(['rev-parse', 'HEAD'])).trim();
  }

  /** Pushes HEAD to `refs/heads/<branch>`, then to `refspec` when given, with `git push -o` options. */
  async push(
    branch: string,
    refspec: string | undefined,
    options: Readonly<Record<string, string>> = {},
  ): Promise<PushOutcome> {
    const opts = Object.entries(options).map(([k, v]) => `--push-option=${v === '' ? k : `${k}=${v}`}`);
    const specs = [`HEAD:refs/heads/${branch}`, ...(refspec ? [refspec] : [])];
    for (const spec of specs) {
      try {
        // no advice: git's last lines (kept in the error) must be the `! [rejected]` status line
        await this.run(['-c', 'advice.pushUpdateRejected=false', 'push', ...opts, '--', this.o.url, spec]);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (NON_FAST_FORWARD.test(message)) return { kind: 'rejected', message };
        throw err;
      }
    }
    return { kind: 'pushed' };
  }

  /** The checked-out commit (HEAD). */
  async head(): Promise<CommitRecord> {
    const sha = (await this.run(['rev-parse', 'HEAD'])).trim();
    const record = parseCommitRecord(sha, await this.run(['cat-file', 'commit', sha]));
    if (!record) throw new Error(`cannot read commit ${sha}`);
    return record;
  }

  /** Checks out `sha` (detached), the work tree made to match it. */
  async checkoutDetached(sha: string): Promise<void> {
    await this.run(['checkout', '--quiet', '--force', '--detach', sha]);
  }

  /** The tree of the work tree as it is now (everything staged first). */
  async workTreeTree(): Promise<string> {
    await this.run(['add', '--all']);
    return (await this.run(['write-tree'])).trim();
  }

  dispose(): Promise<void> {
    return rm(this.base, { recursive: true, force: true });
  }
}
