/** RFC 6901 JSON pointers, for `ignoreDifferences.jsonPointers`. Pure; mutates only the copy it is given. */

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Removes the value at `pointer` from `root` (in place). Missing paths are ignored. */
export function removeAtPointer(root: unknown, pointer: string): void {
  removePath(root, parsePointer(pointer));
}

export function removePath(root: unknown, path: readonly (string | number)[]): void {
  if (path.length === 0) return;
  let cur: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[String(key)];
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(cur)) {
    const i = Number(last);
    if (Number.isInteger(i) && i >= 0 && i < cur.length) cur.splice(i, 1);
  } else if (cur !== null && typeof cur === 'object') {
    delete (cur as Record<string, unknown>)[String(last)];
  }
}
