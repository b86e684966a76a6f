import { SlipwayError } from '../errors/index.js';
import { compileRegex } from '../expr/index.js';
import {
  groupOf,
  type KubeObject,
  type LabelSelector,
  matchesLabelSelector,
  parseLabelSelector,
} from '../kube/index.js';
import type { DriftDetectionMode, DriftIgnoreRule, HelmRelease, ResourceSelector } from './helm-types.js';

/**
 * helm-controller's drift detection as plain data: the mode, the ignore rules (JSON pointers for the
 * objects a kustomize-style selector picks), the per-object exclusion label/annotation, the JSON
 * patch that brings a live object back, and the summaries its Events and conditions carry. Pure.
 */

/** An ignore rule that cannot be compiled (a target regex or label selector Go would refuse). */
export class DriftDetectionError extends SlipwayError {
  constructor(message: string) {
    super('FLUX_DRIFT_DETECTION', message);
  }
}

/** `helm.toolkit.fluxcd.io/driftDetection: disabled` as a label or annotation leaves an object out. */
export const DRIFT_DETECTION_KEY = 'helm.toolkit.fluxcd.io/driftDetection';

/** `spec.driftDetection.mode`, `disabled` when absent (helm-controller's GetMode). */
export function driftMode(hr: HelmRelease): DriftDetectionMode {
  const mode = hr.spec.driftDetection?.mode;
  return mode === 'enabled' || mode === 'warn' ? mode : 'disabled';
}

interface CompiledSelector {
  readonly patterns: readonly {
    readonly field: 'group' | 'version' | 'kind' | 'namespace' | 'name';
    readonly re: RegExp;
  }[];
  readonly labels?: LabelSelector;
  readonly annotations?: LabelSelector;
}

export interface CompiledIgnoreRule {
  readonly paths: readonly string[];
  /** Absent: the rule applies to every object of the release. */
  readonly target?: CompiledSelector;
}

const REGEX_FIELDS = ['group', 'version', 'kind', 'name', 'namespace'] as const;

function compileSelector(s: ResourceSelector): CompiledSelector {
  const patterns: { field: (typeof REGEX_FIELDS)[number]; re: RegExp }[] = [];
  for (const field of REGEX_FIELDS) {
    const pattern = s[field];
    if (!pattern) continue;
    const re = compileRegex(`^(?:${pattern})$`);
    if (typeof re === 'string')
      throw new DriftDetectionError(`failed to create ignore rule selector: invalid ${field} regex: ${re}`);
    patterns.push({ field, re });
  }
  const parse = (text: string | undefined, what: string) => {
    if (!text) return undefined;
    try {
      return parseLabelSelector(text);
    } catch (err) {
      throw new DriftDetectionError(
        `failed to create ignore rule selector: invalid ${what} selector: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  const labels = parse(s.labelSelector, 'label');
  const annotations = parse(s.annotationSelector, 'annotation');
  return { patterns, ...(labels && { labels }), ...(annotations && { annotations }) };
}

/** Compiles `spec.driftDetection.ignore`; throws DriftDetectionError for a selector Go would refuse. */
export function compileIgnoreRules(rules: readonly DriftIgnoreRule[] | undefined): CompiledIgnoreRule[] {
  return (rules ?? []).map((r) => ({
    paths: [...(r.paths ?? [])],
    ...(r.target && { target: compileSelector(r.target) }),
  }));
}

function fieldOf(obj: KubeObject, field: (typeof REGEX_FIELDS)[number]): string {
  switch (field) {
    case 'group':
      return groupOf(obj.apiVersion);
    case 'version': {
      const v = obj.apiVersion ?? '';
      return v.slice(v.indexOf('/') + 1);
    }
    case 'kind':
      return obj.kind ?? '';
    case 'name':
      return obj.metadata.name ?? '';
    case 'namespace':
      return obj.metadata.namespace ?? '';
  }
}

/** fluxcd/pkg ssa jsondiff's SelectorRegex.MatchUnstructured: every set field must match. */
export function selectorMatches(s: CompiledSelector | undefined, obj: KubeObject): boolean {
  if (!s) return true;
  if (!s.patterns.every(({ field, re }) => re.test(fieldOf(obj, field)))) return false;
  if (s.labels && !matchesLabelSelector(s.labels, obj.metadata.labels ?? {})) return false;
  if (s.annotations && !matchesLabelSelector(s.annotations, obj.metadata.annotations ?? {})) return false;
  return true;
}

/** The JSON pointers every matching rule ignores for this (desired) object; '' is the whole object. */
export function ignoredPointers(rules: readonly CompiledIgnoreRule[], obj: KubeObject): string[] {
  return rules.filter((r) => selectorMatches(r.target, obj)).flatMap((r) => r.paths);
}

/** True when the object opts out of drift detection by label or annotation. */
export function isDriftExcluded(obj: KubeObject | undefined): boolean {
  return (
    obj?.metadata.labels?.[DRIFT_DETECTION_KEY] === 'disabled' ||
    obj?.metadata.annotations?.[DRIFT_DETECTION_KEY] === 'disabled'
  );
}

/** One RFC 6902 operation. */
export interface PatchOp {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const escapeToken = (t: string) => t.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The JSON patch that turns `from` into `to`: object members added, removed or recursed into,
 * array items compared by index (extra items removed from the end first), anything else replaced.
 * Undefined members count as absent. Pure.
 */
export function diffOps(from: unknown, to: unknown, path = ''): PatchOp[] {
  if (isPlainObject(from) && isPlainObject(to)) {
    const ops: PatchOp[] = [];
    for (const [k, v] of Object.entries(from)) {
      if (v === undefined) continue;
      const p = `${path}/${escapeToken(k)}`;
      if (to[k] === undefined) ops.push({ op: 'remove', path: p });
      else ops.push(...diffOps(v, to[k], p));
    }
    for (const [k, v] of Object.entries(to)) {
      if (v !== undefined && from[k] === undefined)
        ops.push({ op: 'add', path: `${path}/${escapeToken(k)}`, value: v });
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const ops: PatchOp[] = [];
    const common = Math.min(from.length, to.length);
    for (let i = 0; i < common; i++) ops.push(...diffOps(from[i], to[i], `${path}/${i}`));
    for (let i = from.length - 1; i >= to.length; i--) ops.push({ op: 'remove', path: `${path}/${i}` });
    for (let i = from.length; i < to.length; i++) ops.push({ op: 'add', path: `${path}/${i}`, value: to[i] });
    return ops;
  }
  return from === to ? [] : [{ op: 'replace', path, value: to }];
}

/** jsondiff's DiffType: in sync, missing from the cluster, changed in it, or left out. */
export type DriftType = 'none' | 'create' | 'update' | 'exclude';

export interface ObjectDrift {
  /** `Kind/namespace/name` (namespace left out for cluster-scoped objects). */
  readonly subject: string;
  readonly type: DriftType;
  /** For `update`: the patch from the live object to the desired one. */
  readonly ops: readonly PatchOp[];
}

/** True when something is missing or changed (exclusions are not drift). */
export function hasDrift(drifts: readonly ObjectDrift[]): boolean {
  return drifts.some((d) => d.type === 'create' || d.type === 'update');
}

/**
 * helm-controller's SummarizeDiffSet: one line per removed, changed or excluded object,
 * `Kind/ns/name changed (1 additions, 2 changes, 0 removals)`. Pure.
 */
export function summarizeDrift(drifts: readonly ObjectDrift[]): string {
  const lines: string[] = [];
  for (const d of drifts) {
    if (d.type === 'create') lines.push(`${d.subject} removed`);
    else if (d.type === 'exclude') lines.push(`${d.subject} excluded`);
    else if (d.type === 'update') {
      const count = (op: PatchOp['op']) => d.ops.filter((o) => o.op === op).length;
      lines.push(
        `${d.subject} changed (${count('add')} additions, ${count('replace')} changes, ${count('remove')} removals)`,
      );
    }
  }
  return lines.join('\n');
}

/** SummarizeDiffSetBrief: `removed: 1, changed: 2, excluded: 0`, for the log line. Pure. */
export function briefDrift(drifts: readonly ObjectDrift[]): string {
  const n = (t: DriftType) => drifts.filter((d) => d.type === t).length;
  return `removed: ${n('create')}, changed: ${n('update')}, excluded: ${n('exclude')}`;
}

/** The DriftDetected Event and Drifted condition message. */
export const driftDetectedMessage = (release: string, drifts: readonly ObjectDrift[]) =>
  `Cluster state of release ${release} has drifted from the desired state:\n${summarizeDrift(drifts)}`;

/** The DriftCorrected Event message; `changes` are `Kind/ns/name created|configured` lines. */
export const driftCorrectedMessage = (release: string, changes: readonly string[]) =>
  `Cluster state of release ${release} has been corrected:\n${changes.join('\n')}`;

/** The DriftCorrectionFailed Event message (helm-controller's, with the corrections that did succeed). */
export function driftCorrectionFailedMessage(
  release: string,
  errors: readonly string[],
  changes: readonly string[],
): string {
  const partially = changes.length > 0 ? 'partially ' : '';
  const done = changes.length > 0 ? `\n\nSuccessful corrections:\n${changes.join('\n')}` : '';
  return `Failed to ${partially}correct cluster state of release ${release}:\n${errors.join('\n')}${done}`;
}
