import type { PathKey } from './jq-path.js';

/**
 * The paths of the fields a manager owns, from a `managedFields[].fieldsV1` set: `f:<name>` is a
 * field, `k:<json>` a list element selected by its key fields, `v:<json>` a set element by value,
 * `.` the node itself. Resolved against `obj` to concrete paths. Pure.
 */
export function ownedPaths(obj: unknown, fields: unknown): PathKey[][] {
  const out: PathKey[][] = [];
  visit(obj, fields, [], out);
  return out;
}

function visit(node: unknown, fields: unknown, path: PathKey[], out: PathKey[][]): void {
  if (!fields || typeof fields !== 'object') return;
  const entries = Object.entries(fields as Record<string, unknown>);
  for (const [key, sub] of entries) {
    if (key === '.') continue;
    const children = Object.keys((sub as object | null) ?? {}).filter((k) => k !== '.');
    let childPath: PathKey[] | undefined;
    if (key.startsWith('f:')) {
      const name = key.slice(2);
      if (node && typeof node === 'object' && !Array.isArray(node) && name in node)
        childPath = [...path, name];
    } else if (key.startsWith('k:') || key.startsWith('v:')) {
      if (!Array.isArray(node)) continue;
      let want: unknown;
      try {
        want = JSON.parse(key.slice(2));
      } catch {
        continue;
      }
      const index = node.findIndex((el) =>
        key.startsWith('v:')
          ? JSON.stringify(el) === JSON.stringify(want)
          : Object.entries(want as Record<string, unknown>).every(
              ([k, v]) => JSON.stringify((el as Record<string, unknown>)?.[k]) === JSON.stringify(v),
            ),
      );
      if (index >= 0) childPath = [...path, index];
    }
    if (!childPath) continue;
    if (children.length === 0) out.push(childPath);
    else visit(valueAtPath(node, childPath.slice(path.length)), sub, childPath, out);
  }
}

function valueAtPath(node: unknown, rel: readonly PathKey[]): unknown {
  let cur = node;
  for (const k of rel) cur = (cur as Record<string, unknown> | undefined)?.[String(k)];
  return cur;
}
