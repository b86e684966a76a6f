import { existsSync } from 'node:fs';
import type { RepoCache } from '../sync/index.js';
import { type ArtifactFiles, artifactDigest, listArtifactFiles } from './artifact.js';

export interface StoredArtifact {
  readonly files: ArtifactFiles;
  readonly digest: string;
  readonly size: number;
}

/**
 * The artifacts of this process: a GitRepository's artifact is the filtered checkout of one commit
 * in the sync loop's repository cache (no tarball is served); Kustomizations read it from here by
 * the revision in the GitRepository's status. Kept per (url, commit, ignore); a restart rebuilds
 * from the cache (fetching the commit again when the cache is gone).
 */
export class ArtifactStore {
  private readonly cache = new Map<string, Promise<StoredArtifact>>();

  constructor(
    private readonly repos: RepoCache,
    private readonly maxEntries = 256,
  ) {}

  async get(url: string, sha: string, ignore: string | undefined): Promise<StoredArtifact> {
    const key = JSON.stringify([url, sha, ignore ?? null]);
    const stored = await this.lookup(key, url, sha, ignore);
    // the repository cache trims old checkouts: one gone from disk is checked out again
    if (existsSync(stored.files.root)) return stored;
    this.cache.delete(key);
    return this.lookup(key, url, sha, ignore);
  }

  private lookup(key: string, url: string, sha: string, ignore: string | undefined): Promise<StoredArtifact> {
    let p = this.cache.get(key);
    if (p) {
      this.cache.delete(key);
      this.cache.set(key, p);
      return p;
    }
    p = this.build(url, sha, ignore);
    this.cache.set(key, p);
    p.catch(() => {
      if (this.cache.get(key) === p) this.cache.delete(key);
    });
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    return p;
  }

  private async build(url: string, sha: string, ignore: string | undefined): Promise<StoredArtifact> {
    const commit = await this.repos.resolve(url, sha, Number.POSITIVE_INFINITY);
    const dir = await this.repos.checkout(url, commit);
    const files = await listArtifactFiles(dir, ignore);
    return { files, ...(await artifactDigest(files)) };
  }
}
