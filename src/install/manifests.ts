import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SlipwayError } from '../errors/index.js';
import type { KubeObject } from '../kube/index.js';

/** Parses multi-document YAML into objects, flattening `List` kinds. Errors name the source and document. */
export function parseManifests(text: string, source = '<input>'): KubeObject[] {
  const out: KubeObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new SlipwayError(
        'MANIFEST_PARSE',
        `${source}: document ${i + 1}: ${doc.errors[0]?.message ?? 'invalid yaml'}`,
      );
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new SlipwayError('MANIFEST_PARSE', `${source}: document ${i + 1} is not an object`);
    }
    const obj = value as KubeObject & { items?: KubeObject[] };
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items))
      out.push(...obj.items);
    else out.push(obj);
  });
  return out;
}

/** Reads every .yaml/.yml/.json file of a directory (not recursive), sorted by name, skipping kustomization files. */
export function readManifestDir(dir: string): KubeObject[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !/^kustomization\.ya?ml$/.test(f))
    .sort()
    .filter((f) => statSync(join(dir, f)).isFile())
    .flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}
