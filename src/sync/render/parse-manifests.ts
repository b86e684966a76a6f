import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';

/**
 * Parses multi-document YAML (or JSON, a YAML subset) into objects, flattening `*List` kinds.
 * Errors name the file and the document, so the app's condition points at the culprit.
 */
export function parseManifests(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  const docs = parseAllDocuments(text);
  for (const [i, doc] of docs.entries()) {
    const where = docs.length > 1 ? `${source} (document ${i + 1})` : source;
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0]?.line;
      throw new SyncError(
        SyncErrorCode.ManifestInvalid,
        `${where}: invalid yaml${line !== undefined ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]}`,
      );
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new SyncError(SyncErrorCode.ManifestInvalid, `${where}: is not a Kubernetes object`);
    }
    const obj = value as Partial<KubeObject> & { items?: unknown };
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      for (const item of obj.items) out.push(checkObject(item, where));
    } else out.push(checkObject(obj, where));
  }
  return out;
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
