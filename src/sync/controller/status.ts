import { ConditionRules, setCondition } from '../../core/index.js';
import { aggregateHealth } from '../health/index.js';
import type {
  Application,
  ApplicationCondition,
  ApplicationStatus,
  HealthStatus,
  OperationState,
  ResourceStatus,
  RevisionHistory,
} from '../types.js';
import type { Comparison } from './comparison.js';
import { resourceIdentity } from './tracking.js';

export interface StatusInput {
  readonly app: Application;
  readonly comparison?: Comparison;
  /** Set when the comparison failed: the previous resources/health are kept. */
  readonly comparisonError?: string;
  readonly operationState?: OperationState;
  /** Conditions to raise (type → message); SyncError/ComparisonError are cleared when absent. */
  readonly conditions: Readonly<Record<string, string>>;
  readonly nowIso: string;
}

function images(comparison: Comparison): string[] {
  const out = new Set<string>();
  for (const r of comparison.resources) {
    const spec = (r.live ?? r.desired)?.spec as
      | { template?: { spec?: { containers?: { image?: string }[] } }; containers?: { image?: string }[] }
      | undefined;
    for (const c of [...(spec?.template?.spec?.containers ?? []), ...(spec?.containers ?? [])])
      if (c.image) out.add(c.image);
  }
  return [...out].sort();
}

/** The inventory: never an entry without a kind (it could be neither watched nor pruned). */
function resourceStatuses(comparison: Comparison): ResourceStatus[] {
  return comparison.resources
    .filter((r) => (r.desired ?? r.live)?.kind)
    .map((r) => {
      const obj = (r.desired ?? r.live)!;
      return {
        ...resourceIdentity(obj),
        status: r.status,
        ...(r.health && { health: r.health }),
        ...(r.requiresPruning && { requiresPruning: true }),
        ...(r.wave !== 0 && { syncWave: r.wave }),
      };
    });
}

function appHealth(comparison: Comparison): HealthStatus {
  return aggregateHealth(
    comparison.resources
      .filter((r) => !r.requiresPruning && r.health)
      .map((r) => ({
        kind: (r.desired ?? r.live)?.kind ?? '',
        name: (r.desired ?? r.live)?.metadata.name ?? '',
        health: r.health!,
      })),
  );
}

/**
 * Argo CD's `SetConditions` over the conditions this loop evaluates (all of them): the ones raised now,
 * each keeping its stored lastTransitionTime while its message is the same, sorted by type.
 */
function mergeConditions(
  previous: readonly ApplicationCondition[] | undefined,
  want: Readonly<Record<string, string>>,
  nowIso: string,
): ApplicationCondition[] | undefined {
  let out = removeUnwanted(previous, want);
  for (const [type, message] of Object.entries(want))
    out = setCondition(out, { type, message }, nowIso, ConditionRules.argoCd).conditions;
  return out.length > 0 ? [...out].sort((a, b) => a.type.localeCompare(b.type)) : undefined;
}

const removeUnwanted = (
  previous: readonly ApplicationCondition[] | undefined,
  want: Readonly<Record<string, string>>,
): readonly ApplicationCondition[] => (previous ?? []).filter((c) => Object.hasOwn(want, c.type));

/** Appends a deployment to history after a successful sync (kept to revisionHistoryLimit, default 10). */
export function appendHistory(app: Application, op: OperationState): RevisionHistory[] {
  const history = [...(app.status?.history ?? [])];
  const id = history.reduce((m, h) => Math.max(m, h.id), -1) + 1;
  const multi = op.syncResult?.revisions !== undefined;
  history.push({
    id,
    ...(multi
      ? {
          revisions: op.syncResult!.revisions!,
          ...(op.syncResult?.sources && { sources: op.syncResult.sources }),
        }
      : { revision: op.syncResult?.revision ?? op.operation.sync?.revision ?? '' }),
    deployedAt: op.finishedAt ?? op.startedAt,
    deployStartedAt: op.startedAt,
    ...(op.syncResult?.source && { source: op.syncResult.source }),
    ...(op.operation.initiatedBy && { initiatedBy: op.operation.initiatedBy }),
  });
  const limit = app.spec.revisionHistoryLimit ?? 10;
  return history.slice(Math.max(0, history.length - limit));
}

/** The next status, Argo CD's fields and spellings. Pure. */
export function buildStatus(input: StatusInput): ApplicationStatus {
  const { app, comparison, nowIso } = input;
  const prev = app.status ?? {};
  const multi = (app.spec.sources?.length ?? 0) > 0;
  const comparedTo = {
    ...(multi ? { sources: app.spec.sources } : app.spec.source && { source: app.spec.source }),
    destination: app.spec.destination,
    ...(app.spec.ignoreDifferences && { ignoreDifferences: app.spec.ignoreDifferences }),
  };
  const conditions = mergeConditions(prev.conditions, input.conditions, nowIso);
  const base: ApplicationStatus = {
    ...prev,
    reconciledAt: nowIso,
    controllerNamespace: app.metadata.namespace,
    ...(input.operationState && { operationState: input.operationState }),
  };
  delete (base as { conditions?: unknown }).conditions;
  if (comparison && !comparison.desired.sourceTypes) delete (base as { sourceTypes?: unknown }).sourceTypes;
  if (!comparison) {
    return {
      ...base,
      sync: {
        status: 'Unknown',
        ...(prev.sync?.revision && { revision: prev.sync.revision }),
        ...(prev.sync?.revisions && { revisions: prev.sync.revisions }),
        comparedTo,
      },
      ...(conditions && { conditions }),
    };
  }
  const health = appHealth(comparison);
  const healthChanged = prev.health?.status !== health.status;
  return {
    ...base,
    sync: {
      status: comparison.syncStatus,
      ...(comparison.desired.revisions
        ? { revisions: comparison.desired.revisions }
        : { revision: comparison.revision }),
      comparedTo,
    },
    health: {
      ...health,
      lastTransitionTime: healthChanged ? nowIso : (prev.health?.lastTransitionTime ?? nowIso),
    },
    resources: resourceStatuses(comparison),
    sourceType: comparison.desired.sourceType,
    ...(comparison.desired.sourceTypes && { sourceTypes: comparison.desired.sourceTypes }),
    summary: { images: images(comparison) },
    ...(conditions && { conditions }),
  };
}
