/**
 * `slipway lint` over parsed documents: each object of a kind Slipway acts on is checked the way
 * its controller will check it; other kinds pass through. A check that throws on a malformed
 * object becomes a finding instead of ending the run. Pure.
 */
import {
  checkAnalysisRun,
  checkAnalysisTemplate,
  checkApplication,
  checkConfigMap,
  checkRollout,
  type LintContext,
  type ObjectFinding,
} from './checks.js';
import type { LintDocument, LintProblem } from './documents.js';

type Obj = Readonly<Record<string, unknown>>;

export interface LintOptions {
  /** The replica ceiling the controller enforces (`--max-replicas`). Default DEFAULT_MAX_REPLICAS. */
  readonly maxReplicas?: number;
}

const ARGO = 'argoproj.io';
const CHECKS: Readonly<
  Record<string, { readonly group: string; readonly check: (o: Obj, c: LintContext) => ObjectFinding[] }>
> = {
  Rollout: { group: ARGO, check: checkRollout },
  AnalysisTemplate: { group: ARGO, check: checkAnalysisTemplate },
  ClusterAnalysisTemplate: { group: ARGO, check: checkAnalysisTemplate },
  AnalysisRun: { group: ARGO, check: checkAnalysisRun },
  Application: { group: ARGO, check: checkApplication },
  ConfigMap: { group: '', check: checkConfigMap },
};

const groupOf = (apiVersion: unknown) =>
  typeof apiVersion === 'string' && apiVersion.includes('/')
    ? apiVersion.slice(0, apiVersion.indexOf('/'))
    : '';

const metaOf = (o: Obj) => (o.metadata ?? {}) as { readonly name?: unknown; readonly namespace?: unknown };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** How many objects were checked, and every problem found, in input order. */
export function lintDocuments(
  documents: readonly LintDocument[],
  options: LintOptions = {},
): { readonly checked: number; readonly problems: LintProblem[] } {
  const ctx: LintContext = {
    find: (kind, namespace, name) =>
      documents.find((d) => {
        const meta = metaOf(d.object);
        const ns = str(meta.namespace);
        return (
          d.object.kind === kind &&
          meta.name === name &&
          (namespace === undefined || ns === undefined || ns === namespace)
        );
      })?.object,
    ...(options.maxReplicas !== undefined && { maxReplicas: options.maxReplicas }),
  };
  const problems: LintProblem[] = [];
  let checked = 0;
  for (const doc of documents) {
    const kind = str(doc.object.kind);
    const entry = kind === undefined ? undefined : CHECKS[kind];
    if (kind === undefined || entry === undefined || groupOf(doc.object.apiVersion) !== entry.group) continue;
    checked++;
    const name = str(metaOf(doc.object).name) ?? '';
    let findings: ObjectFinding[];
    try {
      findings = entry.check(doc.object, ctx);
    } catch (err) {
      findings = [
        {
          message: `cannot check this object: ${err instanceof Error ? err.message : String(err)}`,
          severity: 'error',
        },
      ];
    }
    for (const f of findings)
      problems.push({
        source: doc.source,
        index: doc.index,
        kind,
        name,
        message: f.message,
        severity: f.severity,
      });
  }
  return { checked, problems };
}
