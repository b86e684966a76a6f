import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { artifactIgnoreRules, isIgnored } from './source-ignore.js';

/** The files of a checkout that go into a GitRepository's artifact, sorted, `/`-separated. */
export interface ArtifactFiles {
  readonly root: string;
  readonly files: readonly { readonly path: string; readonly symlink: boolean }[];
}

/** At most this many files in one artifact (repository content is untrusted). */
export const MAX_ARTIFACT_FILES = 50_000;

async function readSourceIgnore(root: string): Promise<string | undefined> {
  try {
    return await readFile(join(root, '.sourceignore'), 'utf8');
  } catch {
    return undefined;
  }
}

/** Lists the checkout's files that `spec.ignore` (or Flux's defaults) and `.sourceignore` keep. */
export async function listArtifactFiles(
  root: string,
  specIgnore: string | undefined,
): Promise<ArtifactFiles> {
  const rules = artifactIgnoreRules(specIgnore, await readSourceIgnore(root));
  const files: { path: string; symlink: boolean }[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!isIgnored(rules, path, true)) await walk(path);
      } else if ((e.isFile() || e.isSymbolicLink()) && !isIgnored(rules, path)) {
        files.push({ path, symlink: e.isSymbolicLink() });
        if (files.length > MAX_ARTIFACT_FILES)
          throw new Error(`the artifact exceeds ${MAX_ARTIFACT_FILES} files; add ignore rules`);
      }
    }
  };
  await walk('');
  return { root, files };
}

/** `sha256:<hex>` over the artifact's paths and contents (symlinks by target), in path order. */
export async function artifactDigest(a: ArtifactFiles): Promise<{ digest: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for (const f of a.files) {
    const full = join(a.root, f.path);
    const content = f.symlink ? Buffer.from(await readlink(full)) : await readFile(full);
    size += content.length;
    h.update(`${f.symlink ? 'l' : 'f'} ${f.path}\u0000${content.length}\u0000`);
    h.update(content);
  }
  return { digest: `sha256:${h.digest('hex')}`, size };
}

/** Copies the artifact's files (symlinks as links, for the render's bounds check) under `dest`. */
export async function copyArtifact(a: ArtifactFiles, dest: string): Promise<void> {
  const made = new Set<string>();
  for (const f of a.files) {
    const target = join(dest, f.path);
    const dir = target.slice(0, target.lastIndexOf('/'));
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    if (f.symlink) await symlink(await readlink(join(a.root, f.path)), target);
    else await copyFile(join(a.root, f.path), target);
  }
}
