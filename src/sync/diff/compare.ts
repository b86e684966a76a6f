import type { KubeObject } from '../../kube/index.js';
import type { ResourceIgnoreDifferences } from '../types.js';
import { applyIgnoreDifferences, matchingRules } from './ignore-differences.js';
import { jsonEqual, normalizeForDiff } from './normalize.js';
import { foldStringData } from './secret-data.js';

export interface ResourceDiff {
  readonly inSync: boolean;
  /** Normalised live object (ignored fields removed); undefined when the object is missing. */
  readonly live?: KubeObject;
  /** Normalised object as it would be after applying; undefined when it could not be predicted. */
  readonly predicted?: KubeObject;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Keeps only the parts of `value` that `shape` (the desired manifest) names: object keys recursively,
 * arrays and scalars whole. Fields other writers own and the manifest never mentions (another
 * controller's annotations, a Rollout's pause bookkeeping) are then not drift, as in Argo CD. Pure.
 */
export function projectOnto(value: unknown, shape: unknown): unknown {
  if (!isPlainObject(value) || !isPlainObject(shape)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(shape)) {
    if (k in value) out[k] = projectOnto(value[k], sub);
  }
  return out;
}

/**
 * Compares the predicted object (the server's answer to a server-side-apply dry run of the desired
 * object) with the live one, after normalisation and ignoreDifferences. With `desired`, both sides
 * are first projected onto the fields the desired manifest sets. Pure.
 */
export function compareResource(
  predicted: KubeObject | undefined,
  live: KubeObject | undefined,
  rules: readonly ResourceIgnoreDifferences[] | undefined,
  desired?: KubeObject,
): ResourceDiff {
  if (!live) return { inSync: false, ...(predicted && { predicted: normalizeForDiff(predicted) }) };
  if (!predicted) return { inSync: false, live: normalizeForDiff(live) };
  const applicable = matchingRules(rules, live);
  // a Secret written with stringData is stored as data: project onto that (gitops-engine's NormalizeSecret)
  const shape = desired ? foldStringData(normalizeForDiff(desired)) : undefined;
  const scope = (o: KubeObject) => (shape ? (projectOnto(o, shape) as KubeObject) : o);
  const p = applyIgnoreDifferences(scope(normalizeForDiff(predicted)), applicable, live);
  const l = applyIgnoreDifferences(scope(normalizeForDiff(live)), applicable, live);
  return { inSync: jsonEqual(p, l), live: l, predicted: p };
}
