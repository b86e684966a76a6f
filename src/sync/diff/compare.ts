import type { KubeObject } from '../../kube/index.js';
import type { ResourceIgnoreDifferences } from '../types.js';
import { applyIgnoreDifferences, matchingRules } from './ignore-differences.js';
import { jsonEqual, normalizeForDiff } from './normalize.js';

export interface ResourceDiff {
  readonly inSync: boolean;
  /** Normalised live object (ignored fields removed); undefined when the object is missing. */
  readonly live?: KubeObject;
  /** Normalised object as it would be after applying; undefined when it could not be predicted. */
  readonly predicted?: KubeObject;
}

/**
 * Compares the predicted object (the server's answer to a server-side-apply dry run of the desired
 * object) with the live one, after normalisation and ignoreDifferences. Pure.
 */
export function compareResource(
  predicted: KubeObject | undefined,
  live: KubeObject | undefined,
  rules: readonly ResourceIgnoreDifferences[] | undefined,
): ResourceDiff {
  if (!live) return { inSync: false, ...(predicted && { predicted: normalizeForDiff(predicted) }) };
  if (!predicted) return { inSync: false, live: normalizeForDiff(live) };
  const applicable = matchingRules(rules, live);
  const p = applyIgnoreDifferences(normalizeForDiff(predicted), applicable, live);
  const l = applyIgnoreDifferences(normalizeForDiff(live), applicable, live);
  return { inSync: jsonEqual(p, l), live: l, predicted: p };
}
