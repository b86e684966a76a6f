import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { KubeObject } from '../../kube/index.js';
import type { DirectorySource } from '../types.js';
import { matchesGlob } from './glob.js';
import { parseManifests } from './parse-manifests.js';

const MANIFEST = /\.(ya?ml|json)$/;

async function listFiles(root: string, dir: string, recurse: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (recurse) files.push(...(await listFiles(root, path, recurse)));
    } else if (e.isFile() && MANIFEST.test(e.name)) files.push(path);
  }
  return files;
}

/**
 * Renders a plain directory: every .yaml/.yml/.json file (recursively with `recurse`), filtered by
 * `include`/`exclude`, multi-document YAML and `List` kinds flattened. Errors name the file.
 */
export async function renderDirectory(appDir: string, options: DirectorySource = {}): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const file of await listFiles(appDir, appDir, options.recurse === true)) {
    const rel = relative(appDir, file);
    if (options.include && !matchesGlob(options.include, rel)) continue;
    if (options.exclude && matchesGlob(options.exclude, rel)) continue;
    out.push(...parseManifests(await readFile(file, 'utf8'), rel));
  }
  return out;
}
