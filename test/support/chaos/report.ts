// The figures of a chaos run as readable lines and as the bench's JSON summary.
import { isClean } from './invariants.js';
import type { ChaosReport } from './scenario.js';

/** Every invariant held: converged, clean end state, every completed step notified exactly once. */
export function isChaosClean(r: ChaosReport): boolean {
  const n = r.notifications;
  return (
    r.converged &&
    isClean(r.endState) &&
    n.lost === 0 &&
    n.duplicated === 0 &&
    n.wrongStep === 0 &&
    n.missingByContent === 0 &&
    n.extraByContent === 0 &&
    n.unparsable === 0
  );
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export function chaosSummary(r: ChaosReport) {
  const n = r.notifications;
  const rs = r.endState.replicaSets;
  return {
    bench: 'chaos',
    seed: r.seed,
    kills: r.kills.sigkill + r.kills.sigterm,
    sigkills: r.kills.sigkill,
    sigterms: r.kills.sigterm,
    chaosSeconds: Math.round(r.chaosMs / 1000),
    settleSeconds: Math.round(r.settleMs / 1000),
    converged: r.converged,
    controllerReadyMs: { median: median(r.restarts.readyMs), max: Math.max(0, ...r.restarts.readyMs) },
    controllerCrashes: r.restarts.crashes.length,
    uncleanSigterms: r.restarts.unclean.length,
    sigtermsDuringStartup: r.restarts.sigtermsDuringStartup,
    rollouts: r.rollouts,
    rolloutUpdates: r.rolloutUpdates,
    applications: r.applications,
    commits: r.commits,
    drifts: r.drifts,
    notificationsExpected: n.expected,
    notificationsReceived: n.received,
    notificationsLost: n.lost,
    notificationsDuplicated: n.duplicated,
    notificationsWrongStep: n.wrongStep,
    notificationsMissingAfterLastKill: n.missingAfterLastKill,
    messagesJustBeforeKills: r.messagesJustBeforeKills,
    rolloutsNotHealthy: r.endState.rollouts.length,
    stuckApplications: r.endState.applications.length,
    duplicateReplicaSets: rs.duplicate.length,
    orphanReplicaSets: rs.orphan.length,
    wronglyScaledReplicaSets: rs.wronglyScaled.length,
    overHistoryLimit: rs.overHistoryLimit.length,
    tmpLeftovers: r.tmpLeftovers,
    observerRelists: r.observerRelists,
    clean: isChaosClean(r),
  };
}

export function formatChaosReport(r: ChaosReport): string {
  const s = chaosSummary(r);
  const n = r.notifications;
  const rs = r.endState.replicaSets;
  const lines = [
    `chaos (seed ${s.seed}): ${s.kills} restarts (${s.sigkills} SIGKILL, ${s.sigterms} SIGTERM) in ${s.chaosSeconds} s; ` +
      `settled ${s.converged ? 'in' : 'NOT within'} ${s.settleSeconds} s`,
    `  controller: ready in ${s.controllerReadyMs.median} ms median (max ${s.controllerReadyMs.max}); ` +
      `${s.controllerCrashes} exits on its own; ${s.uncleanSigterms} SIGTERMs without a clean exit ` +
      `(${s.sigtermsDuringStartup} more arrived while it was still loading)`,
    `  load: ${s.rollouts} Rollouts, ${s.rolloutUpdates} image updates; ${s.applications} Applications, ` +
      `${s.commits} commits, ${s.drifts} drifts`,
    `  notifications: ${n.expected} steps completed, ${n.received} messages; lost ${n.lost}, duplicated ` +
      `${n.duplicated}, naming another step or revision ${n.wrongStep}; ${n.missingAfterLastKill} steps ` +
      `completed after the last kill have no message naming them; ` +
      `${r.messagesJustBeforeKills} arrived in the second before a kill`,
    `  Rollouts not Healthy on their last revision: ${r.endState.rollouts.length}; ReplicaSets: ` +
      `${rs.duplicate.length} duplicate, ${rs.orphan.length} orphan, ${rs.wronglyScaled.length} wrongly scaled, ` +
      `${rs.overHistoryLimit.length} over the history limit`,
    `  Applications stuck (not Synced at the last commit, unhealthy, drifted or malformed): ${r.endState.applications.length}`,
    `  controller TMPDIR entries left after the final clean stop: ${s.tmpLeftovers}; ` +
      `Rollout watch relists (ground-truth gaps): ${r.observerRelists}`,
  ];
  const evidence = [
    ...n.examples.map((e) => `notification: ${e}`),
    ...r.endState.rollouts.map((e) => `rollout: ${e}`),
    ...Object.entries(rs).flatMap(([k, list]: [string, string[]]) =>
      list.map((e) => `replicaset ${k}: ${e}`),
    ),
    ...r.endState.applications.map((e) => `application: ${e}`),
    ...r.restarts.crashes.map(
      (c) => `controller incarnation ${c.incarnation} exited on its own: ${c.outcome}`,
    ),
    ...r.restarts.unclean.map((c) => `controller incarnation ${c.incarnation} after SIGTERM: ${c.outcome}`),
  ];
  for (const e of evidence.slice(0, 40)) lines.push(`  ! ${e}`);
  if (evidence.length > 40) lines.push(`  ! … ${evidence.length - 40} more`);
  lines.push(`  controller log: ${r.logPath}`);
  return lines.join('\n');
}
