/**
 * The git generator's reader over the sync loop's repository cache: the revision resolved and
 * checked out once per commit (shared with Applications rendering it), then walked with the rules
 * for untrusted repository content: no symlink leaves the checkout, hidden directories are skipped
 * for `directories`, and the number of entries and the bytes read are bounded.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type RenderLimits, type RepoCache, resolveInRepo } from '../sync/index.js';
import { ApplicationSetError, ApplicationSetErrorCode } from './errors.js';
import type { GitContentReader } from './generators/context.js';
import { gitPathspecMatch } from './generators/git-paths.js';

export interface RepoContentReaderOptions {
  readonly repos: RepoCache;
  readonly limits: RenderLimits;
  /** Reuse a revision resolution this recent (ms). Default 1 s. */
  readonly revisionMaxAgeMs?: number;
  /** Most directory entries walked per checkout. Default 20,000. */
  readonly maxEntries?: number;
}

interface Tree {
  readonly root: string;
  readonly dirs: readonly string[];
  readonly files: readonly string[];
}

export class RepoContentReader implements GitContentReader {
  private readonly trees = new Map<string, Promise<Tree>>();

  constructor(private readonly options: RepoContentReaderOptions) {}

  private async tree(repoURL: string, revision: string | undefined): Promise<Tree> {
    const { repos } = this.options;
    const sha = await repos.resolve(
      repoURL,
      revision === '' ? undefined : revision,
      this.options.revisionMaxAgeMs ?? 1_000,
    );
    const key = `${repoURL}\u0000${sha}`;
    let t = this.trees.get(key);
    if (t === undefined) {
      t = repos.checkout(repoURL, sha).then((dir) => this.walk(dir));
      t.catch(() => this.trees.delete(key));
      if (this.trees.size >= 64) this.trees.delete(this.trees.keys().next().value as string);
      this.trees.set(key, t);
    }
    return t;
  }

  private async walk(dir: string): Promise<Tree> {
    const root = await realpath(dir);
    const max = this.options.maxEntries ?? 20_000;
    const dirs: string[] = [];
    const files: string[] = [];
    let seen = 0;
    const visit = async (rel: string): Promise<void> => {
      const entries = await readdir(rel === '' ? root : join(root, rel), { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (++seen > max)
          throw new ApplicationSetError(
            ApplicationSetErrorCode.Limit,
            `the repository has more than ${max} files and directories; the git generator reads at most that many`,
          );
        const path = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) {
          if (rel === '' && e.name === '.git') continue;
          dirs.push(path);
          await visit(path);
        } else files.push(path);
      }
    };
    await visit('');
    return { root, dirs, files };
  }

  async directories(repoURL: string, revision: string | undefined): Promise<readonly string[]> {
    const { dirs } = await this.tree(repoURL, revision);
    // hidden directories and everything under them are skipped, as Argo's repo server does
    return dirs.filter((d) => !d.split('/').some((segment) => segment.startsWith('.')));
  }

  async files(
    repoURL: string,
    revision: string | undefined,
    pattern: string,
  ): Promise<ReadonlyMap<string, string>> {
    const { root, files } = await this.tree(repoURL, revision);
    const { limits } = this.options;
    const out = new Map<string, string>();
    let total = 0;
    for (const file of files) {
      if (!gitPathspecMatch(pattern, file)) continue;
      const resolved = await resolveInRepo(root, file);
      if (resolved.kind !== 'inside')
        throw new ApplicationSetError(
          ApplicationSetErrorCode.Generator,
          `repository contains out-of-bounds symlinks. file: ${file}`,
        );
      const full = join(root, resolved.path);
      const info = await stat(full).catch(() => undefined);
      if (info === undefined || !info.isFile()) continue;
      if (info.size > limits.maxFileBytes)
        throw new ApplicationSetError(
          ApplicationSetErrorCode.Limit,
          `${file} is ${info.size} bytes, over the ${limits.maxFileBytes}-byte limit per file (SLIPWAY_MAX_MANIFEST_FILE_BYTES)`,
        );
      total += info.size;
      if (total > limits.maxRenderBytes)
        throw new ApplicationSetError(
          ApplicationSetErrorCode.Limit,
          `the files matching ${pattern} are over ${limits.maxRenderBytes} bytes together (SLIPWAY_MAX_RENDER_BYTES)`,
        );
      if ((await lstat(full)).isFile()) out.set(file, await readFile(full, 'utf8'));
    }
    return out;
  }
}
