import { createHash, randomBytes } from 'node:crypto';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SymlinkAudit } from '../sync/index.js';
import { type ArtifactFiles, copyArtifact } from './artifact.js';

/** One artifact's files extracted once, shared read-only by every build from it until released. */
export interface ExtractedArtifact {
  /** Real path of the extracted tree. */
  readonly root: string;
  /** The artifact's files (paths relative to `root`). */
  readonly files: ArtifactFiles;
  /** The audit renders of this tree must use (the tree was already searched once). */
  readonly symlinks: SymlinkAudit;
  /** Gives the tree back; it is removed once unused and no longer among the most recent. */
  release(): void;
}

interface Entry {
  readonly tree: Promise<{ root: string; files: ArtifactFiles }>;
  readonly dir: string;
  refs: number;
}

/**
 * The artifacts Kustomizations build from, each extracted once per content (Flux extracts the
 * artifact's tarball for every build; copying a whole checkout per Kustomization made 1,000
 * Kustomizations of one repository quadratic). Keyed by the artifact's digest and the ignore rules
 * that filtered it, reference-counted; unused trees beyond the `keepUnused` most recent are removed.
 * Builds never write into a tree's files: they work in a sibling copy of their own path
 * (build.ts). Repository content is untrusted: the tree is searched for out-of-bounds symlinks once,
 * before any build sees it, and every render checks it through the same audit.
 */
export class ExtractedArtifacts {
  private readonly entries = new Map<string, Entry>();
  /** Unused keys, least recently released first. */
  private readonly unused = new Set<string>();
  readonly symlinks = new SymlinkAudit(4_096);

  constructor(
    private readonly dir: string,
    private readonly keepUnused = 4,
  ) {}

  /**
   * The extracted tree of the artifact `digest` filtered by `ignore`; `list` gives its files and is
   * called only when the tree is not extracted yet. Call `release()` when done.
   */
  async acquire(
    digest: string,
    ignore: string | undefined,
    list: () => Promise<ArtifactFiles>,
  ): Promise<ExtractedArtifact> {
    const key = createHash('sha256')
      .update(JSON.stringify([digest, ignore ?? null]))
      .digest('hex');
    let entry = this.entries.get(key);
    if (!entry) {
      // a fresh name per extraction: a retired tree of the same key may still be being removed
      const dir = join(this.dir, `${key.slice(0, 32)}-${randomBytes(4).toString('hex')}`);
      entry = { dir, refs: 0, tree: this.extract(dir, list) };
      this.entries.set(key, entry);
      const created = entry;
      created.tree.catch(() => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
    }
    entry.refs++;
    this.unused.delete(key);
    let tree: { root: string; files: ArtifactFiles };
    try {
      tree = await entry.tree;
    } catch (err) {
      entry.refs--;
      throw err;
    }
    let released = false;
    const held = entry;
    return {
      ...tree,
      symlinks: this.symlinks,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        if (held.refs === 0 && this.entries.get(key) === held) this.retire(key);
      },
    };
  }

  /** Trees extracted now (in use or kept). */
  get size(): number {
    return this.entries.size;
  }

  private async extract(
    dir: string,
    list: () => Promise<ArtifactFiles>,
  ): Promise<{ root: string; files: ArtifactFiles }> {
    const files = await list();
    await mkdir(dir, { recursive: true });
    try {
      await copyArtifact(files, dir);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    const root = await realpath(dir);
    // searched before any build runs next to it; the render reports what it finds
    await this.symlinks.check(root).catch(() => undefined);
    return { root, files: { root, files: files.files } };
  }

  private retire(key: string): void {
    this.unused.add(key);
    while (this.unused.size > this.keepUnused) {
      const oldest = this.unused.values().next().value as string;
      this.unused.delete(oldest);
      const entry = this.entries.get(oldest);
      this.entries.delete(oldest);
      if (entry) void rm(entry.dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
