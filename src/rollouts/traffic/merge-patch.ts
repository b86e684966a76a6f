/**
 * JSON merge patches (RFC 7386) computed from a current and a desired JSON value, the way Argo Rollouts'
 * routers patch what they own (`diff.CreateTwoWayMergePatch` on the fields they manage, sent as a merge
 * patch): changed keys carry the desired value, keys the desired value lacks become `null`, arrays are
 * replaced whole. Pure; shared by the routers.
 */

import { canonicalJson } from '../../go/index.js';

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Key-order-independent deep equality of JSON values (`undefined` members count as absent). */
export function jsonValuesEqual(a: unknown, b: unknown): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/**
 * The merge patch turning `current` into `desired` (both JSON objects), or undefined when they are equal.
 * Empty objects and absent members are the same to Kubernetes; a member only `current` has is removed.
 */
export function createMergePatch(
  current: JsonObject,
  desired: JsonObject,
): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = {};
  for (const [key, want] of Object.entries(desired)) {
    if (want === undefined) continue;
    const have = current[key];
    if (isObject(want) && isObject(have)) {
      const inner = createMergePatch(have, want);
      if (inner !== undefined) patch[key] = inner;
    } else if (!jsonValuesEqual(have, want)) {
      patch[key] = want;
    }
  }
  for (const [key, have] of Object.entries(current)) {
    if (have !== undefined && have !== null && desired[key] === undefined) patch[key] = null;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}
