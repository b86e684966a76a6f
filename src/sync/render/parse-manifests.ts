import { Composer, LineCounter, Parser } from 'yaml';
import type { KubeObject } from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';
import { restoreQuotedScalars, swapLargeQuotedScalars } from './quoted-scalar.js';

/**
 * Parses multi-document YAML (or JSON, a YAML subset) into objects, flattening `*List` kinds.
 * Errors name the file and the document, so the app's condition points at the culprit.
 * Documents are composed and converted one at a time: holding every document's syntax tree at once
 * costs ~50x the text, one at a time about 5x.
 */
export function parseManifests(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const batch of manifestBatches(text, source)) for (const o of batch) out.push(o);
  return out;
}

/** Work done between two yields to the event loop while parsing a large render. */
const SLICE_MS = 20;

/**
 * parseManifests for renders: yields to the event loop every ~20 ms, so parsing a 20 MiB render
 * (seconds of CPU for 100,000s of small documents) does not stall other reconciles, watches or
 * the leader-election lease renewal.
 */
export async function parseManifestsYielding(text: string, source: string): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  let sliceStart = performance.now();
  for (const batch of manifestBatches(text, source)) {
    for (const o of batch) out.push(o);
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return out;
}

/** The objects of each document in turn. */
function* manifestBatches(text: string, source: string): Generator<KubeObject[]> {
  const lines = new LineCounter();
  const quoted = new Map<string, string>();
  const tokens = function* () {
    for (const token of new Parser(lines.addNewLine).parse(text)) {
      for (const [k, v] of swapLargeQuotedScalars(token).values) quoted.set(k, v);
      yield token;
    }
  };
  const docs = new Composer().compose(tokens());
  // "(document N)" is added when a file turns out to hold more than one document.
  const isMulti = holdsSeveralDocuments(text);
  let i = 0;
  for (const doc of docs) {
    i++;
    const where = isMulti ? `${source} (document ${i})` : source;
    const first = doc.errors[0];
    if (first) {
      const line = lines.linePos(first.pos[0]).line;
      throw new SyncError(
        SyncErrorCode.ManifestInvalid,
        `${where}: invalid yaml at line ${line}: ${first.message.split('\n')[0]}`,
      );
    }
    // Placeholders are unique, and the decoded strings end up in the objects anyway: no need to prune.
    const value = restoreQuotedScalars(doc.toJS(), quoted);
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new SyncError(SyncErrorCode.ManifestInvalid, `${where}: is not a Kubernetes object`);
    }
    const obj = value as Partial<KubeObject> & { items?: unknown };
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      yield obj.items.map((item) => checkObject(item, where));
    } else yield [checkObject(obj, where)];
  }
}

function checkObject(value: unknown, where: string): KubeObject {
  const o = value as Partial<KubeObject> | null;
  if (!o || typeof o !== 'object' || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
    throw new SyncError(SyncErrorCode.ManifestInvalid, `${where}: an object has no apiVersion or kind`);
  }
  const name = o.metadata && typeof o.metadata === 'object' ? o.metadata.name : undefined;
  if (typeof name !== 'string' || name === '') {
    throw new SyncError(SyncErrorCode.ManifestInvalid, `${where}: a ${o.kind} has no metadata.name`);
  }
  return o as KubeObject;
}

/** True when a `---` marker separates content (a single leading marker does not). */
function holdsSeveralDocuments(text: string): boolean {
  const marker = /^---(?=\s|$)/gm;
  let seen = 0;
  let first = -1;
  for (let m = marker.exec(text); m && seen < 2; m = marker.exec(text)) {
    if (seen++ === 0) first = m.index;
  }
  if (seen !== 1) return seen > 1;
  return text
    .slice(0, first)
    .split('\n')
    .some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}
