import { groupOf, type KubeObject } from '../../kube/index.js';
import type { ResourceIgnoreDifferences } from '../types.js';
import { evaluateJqPath, type PathKey } from './jq-path.js';
import { parsePointer, removePath } from './json-pointer.js';
import { ownedPaths } from './managed-fields.js';

/** The rules of `ignoreDifferences` that apply to an object (group, kind, optional name/namespace). */
export function matchingRules(
  rules: readonly ResourceIgnoreDifferences[] | undefined,
  obj: KubeObject,
): ResourceIgnoreDifferences[] {
  return (rules ?? []).filter(
    (r) =>
      (r.group ?? '') === groupOf(obj.apiVersion) &&
      (r.kind === obj.kind || r.kind === '*') &&
      (!r.name || r.name === obj.metadata.name) &&
      (!r.namespace || r.namespace === obj.metadata.namespace),
  );
}

/** Sorts paths so removing them one by one never shifts an index still to be removed. */
function removalOrder(paths: PathKey[][]): PathKey[][] {
  return [...paths].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return y - x;
      return String(y).localeCompare(String(x));
    }
    return b.length - a.length;
  });
}

/**
 * The paths ignoreDifferences removes from an object before comparison: JSON pointers, jq path
 * expressions, and the fields owned (in `ownerSource`'s managedFields) by the listed managers.
 */
export function ignoredPaths(
  obj: unknown,
  rules: readonly ResourceIgnoreDifferences[],
  ownerSource?: KubeObject,
): PathKey[][] {
  const paths: PathKey[][] = [];
  for (const r of rules) {
    for (const p of r.jsonPointers ?? []) paths.push(parsePointer(p));
    for (const e of r.jqPathExpressions ?? []) paths.push(...evaluateJqPath(obj, e));
    if (r.managedFieldsManagers?.length && ownerSource) {
      for (const mf of (ownerSource.metadata.managedFields ?? []) as {
        manager?: string;
        fieldsV1?: unknown;
      }[]) {
        if (mf.manager && r.managedFieldsManagers.includes(mf.manager))
          paths.push(...ownedPaths(obj, mf.fieldsV1));
      }
    }
  }
  return paths;
}

/** Removes the ignored paths from a (copied) object, in place. */
export function applyIgnoreDifferences<T>(
  obj: T,
  rules: readonly ResourceIgnoreDifferences[],
  ownerSource?: KubeObject,
): T {
  for (const p of removalOrder(ignoredPaths(obj, rules, ownerSource))) removePath(obj, p);
  return obj;
}
