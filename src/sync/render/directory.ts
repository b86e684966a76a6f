import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { KubeObject } from '../../kube/index.js';
import type { DirectorySource } from '../types.js';
import { matchesGlob } from './glob.js';
import { parseManifestsYielding } from './parse-manifests.js';
import { fileTooLargeError, RenderBudget, type RenderLimits, type RenderOutput } from './render-limits.js';
import { outOfBoundsSymlinkError, repoRelative, resolveInRepo } from './repo-bounds.js';

const MANIFEST = /\.(ya?ml|json)$/;

export interface DirectoryRenderOptions {
  /** Real path of the checkout: nothing outside it is read. */
  readonly repoRoot: string;
  readonly limits: RenderLimits;
  readonly directory?: DirectorySource;
}

interface Walk {
  readonly root: string;
  readonly appDir: string;
  readonly recurse: boolean;
}

/**
 * Manifest files under `dir`, sorted. A symlinked file is read when it resolves inside the checkout
 * (any other fails the render); a symlinked directory is not entered (Argo CD skips them too).
 */
async function listFiles(w: Walk, dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (w.recurse) for (const f of await listFiles(w, path)) files.push(f);
    } else if (e.isFile() && MANIFEST.test(e.name)) files.push(path);
    else if (e.isSymbolicLink() && MANIFEST.test(e.name)) {
      const rel = repoRelative(w.root, path) ?? e.name;
      const r = await resolveInRepo(w.root, rel);
      if (r.kind === 'outside') throw outOfBoundsSymlinkError(rel);
      if (r.kind === 'inside' && r.exists && (await stat(join(w.root, r.path))).isFile()) files.push(path);
    }
  }
  return files;
}

/**
 * Renders a plain directory: every .yaml/.yml/.json file (recursively with `recurse`), filtered by
 * `include`/`exclude`, multi-document YAML and `List` kinds flattened. Each file's size is checked
 * before it is read, and the files together must stay within the render limit. Errors name the file.
 */
export async function renderDirectory(
  appDir: string,
  options: DirectoryRenderOptions,
): Promise<RenderOutput> {
  const d = options.directory ?? {};
  const budget = new RenderBudget(
    options.limits,
    `directory ${repoRelative(options.repoRoot, appDir) || '.'}`,
  );
  const out: KubeObject[] = [];
  const walk = { root: options.repoRoot, appDir, recurse: d.recurse === true };
  for (const file of await listFiles(walk, appDir)) {
    const rel = relative(appDir, file);
    if (d.include && !matchesGlob(d.include, rel)) continue;
    if (d.exclude && matchesGlob(d.exclude, rel)) continue;
    const { size } = await stat(file);
    if (size > options.limits.maxFileBytes) {
      throw fileTooLargeError(repoRelative(options.repoRoot, file) ?? rel, size, options.limits);
    }
    budget.take(size);
    // One at a time: spreading 100,000 objects into push() overflows the stack.
    for (const o of await parseManifestsYielding(await readFile(file, 'utf8'), rel)) out.push(o);
  }
  return { objects: out, bytes: budget.bytes };
}
