/**
 * The upstream plugin's `kubectl argo rollouts list rollouts` table: NAME STRATEGY STATUS STEP
 * SET-WEIGHT READY DESIRED UP-TO-DATE AVAILABLE (NAMESPACE first with --all-namespaces), each value
 * padded to the plugin's minimum widths so the columns line up as its do.
 */
import { alignColumns } from './columns.js';
import { clientRolloutPhase, currentSetWeight, type RolloutObject } from './rollout-info.js';

const HEADER = [
  'NAME',
  'STRATEGY',
  'STATUS',
  'STEP',
  'SET-WEIGHT',
  'READY',
  'DESIRED',
  'UP-TO-DATE',
  'AVAILABLE',
];
/** The plugin's `%-Ns` minimum widths, column by column (NAMESPACE: 9). */
const MIN_WIDTHS = [10, 9, 12, 4, 10, 5, 7, 10, 9];

function row(r: RolloutObject): string[] {
  const canary = r.spec?.strategy?.canary;
  const s = r.status ?? {};
  const steps = canary?.steps ?? [];
  const step =
    canary !== undefined && s.currentStepIndex !== undefined && steps.length > 0
      ? `${s.currentStepIndex}/${steps.length}`
      : '-';
  return [
    r.metadata.name ?? '',
    canary !== undefined ? 'Canary' : r.spec?.strategy?.blueGreen !== undefined ? 'BlueGreen' : 'unknown',
    clientRolloutPhase(r).phase,
    step,
    canary !== undefined ? String(currentSetWeight(r)) : '-',
    `${s.readyReplicas ?? 0}/${s.replicas ?? 0}`,
    String(r.spec?.replicas ?? 1),
    String(s.updatedReplicas ?? 0),
    String(s.availableReplicas ?? 0),
  ].map((cell, i) => cell.padEnd(MIN_WIDTHS[i] ?? 0));
}

/** The table's lines, header first; `allNamespaces` adds the NAMESPACE column. */
export function rolloutListTable(rollouts: readonly RolloutObject[], allNamespaces: boolean): string[] {
  const rows = [HEADER, ...rollouts.map(row)];
  return alignColumns(
    allNamespaces
      ? rows.map((cells, i) => [
          i === 0 ? 'NAMESPACE' : (rollouts[i - 1]?.metadata.namespace ?? '').padEnd(9),
          ...cells,
        ])
      : rows,
  );
}
