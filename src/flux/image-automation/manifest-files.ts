import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveInRepo } from '../../sync/index.js';
import { SETTER_TOKEN } from './setter-values.js';
import { isSetterCandidate, type ManifestFile } from './setters.js';

/** Bounds on what one automation run reads from a checkout (repository content is untrusted). */
export interface ManifestReadLimits {
  /** Largest file looked at; larger candidates are skipped (and named). Default 2 MiB. */
  readonly maxFileBytes: number;
  /** Files and directories walked under the update path before giving up. Default 20,000. */
  readonly maxEntries: number;
  /** Total bytes of files holding the marker token kept in memory. Default 32 MiB. */
  readonly maxTotalBytes: number;
}

export const DefaultManifestReadLimits: ManifestReadLimits = {
  maxFileBytes: 2 * 1024 * 1024,
  maxEntries: 20_000,
  maxTotalBytes: 32 * 1024 * 1024,
};

export type ManifestRead =
  | {
      readonly kind: 'ok';
      /** The update path inside the checkout (absolute). */
      readonly root: string;
      /** Candidate files holding the marker token, relative to `root`. */
      readonly files: readonly ManifestFile[];
      /** Candidates left unread, with why (too large, over the total). */
      readonly skipped: readonly { readonly path: string; readonly reason: string }[];
    }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Reads the files the Setters strategy looks at under `updatePath` of a checkout: `.yaml`, `.yml`
 * and `Kustomization` files holding `"$imagepolicy"`. The update path must resolve inside the
 * checkout (symlinks followed only while they stay inside); below it no symlink is followed, file
 * or directory, and `.git` is skipped.
 */
export async function readManifestFiles(
  checkout: string,
  updatePath: string | undefined,
  limits: ManifestReadLimits = DefaultManifestReadLimits,
): Promise<ManifestRead> {
  const realRoot = await realpath(checkout);
  const where = await resolveInRepo(realRoot, updatePath ?? '');
  if (where.kind === 'outside')
    return { kind: 'error', message: `update path '${updatePath}' leads outside the repository` };
  if (where.kind === 'loop')
    return { kind: 'error', message: `update path '${updatePath}' is a symlink loop` };
  const root = join(realRoot, where.path);
  const st = await lstat(root).catch(() => undefined);
  if (!st?.isDirectory())
    return { kind: 'error', message: `update path '${updatePath}' is not a directory in the repository` };
  const files: ManifestFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let entries = 0;
  let total = 0;
  const pending: string[] = [''];
  while (pending.length > 0) {
    const rel = pending.pop() ?? '';
    const dirents = await readdir(join(root, rel), { withFileTypes: true });
    for (const d of dirents.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (++entries > limits.maxEntries)
        return {
          kind: 'error',
          message: `update path '${updatePath ?? ''}' holds more than ${limits.maxEntries} files and directories`,
        };
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (d.name !== '.git') pending.push(path);
        continue;
      }
      if (!d.isFile() || !isSetterCandidate(d.name)) continue;
      const text = await readBounded(join(root, path), limits.maxFileBytes);
      if (text === undefined) {
        skipped.push({ path, reason: `over the ${limits.maxFileBytes}-byte limit per file` });
        continue;
      }
      if (!text.includes(SETTER_TOKEN)) continue;
      if (total + text.length > limits.maxTotalBytes) {
        skipped.push({ path, reason: `over the ${limits.maxTotalBytes}-byte limit per run` });
        continue;
      }
      total += text.length;
      files.push({ path, text });
    }
  }
  return { kind: 'ok', root, files, skipped };
}

/** The file's text, or undefined when it is larger than `max` bytes (never read past it). */
async function readBounded(file: string, max: number): Promise<string | undefined> {
  // O_NOFOLLOW: a file swapped for a symlink after the walk is refused, not followed
  const h = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const { size } = await h.stat();
    if (size > max) return undefined;
    const buf = Buffer.alloc(size);
    const { bytesRead } = await h.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await h.close();
  }
}

/** Writes changed files back (paths come from {@link readManifestFiles}: regular files inside `root`). */
export async function writeManifestFiles(root: string, writes: readonly ManifestFile[]): Promise<void> {
  for (const w of writes) await writeFile(join(root, w.path), w.text);
}
