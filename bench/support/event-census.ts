// Events in a namespace by who reported them and why: a snapshot before and after a benchmark phase says
// how many Events each component created (and how many occurrences it counted) during the phase, so the
// bench can tell the controller's Events from kube-controller-manager's and the scheduler's.
import type { KubeClient, KubeObject } from '../../src/kube/index.js';

interface EventObject extends KubeObject {
  readonly reason?: string;
  readonly count?: number;
  readonly source?: { readonly component?: string };
  readonly reportingComponent?: string;
  readonly involvedObject?: { readonly kind?: string };
}

/** name → (who, reason, count) of every Event in the namespace. */
export type EventSnapshot = ReadonlyMap<string, { readonly who: string; readonly count: number }>;

export async function snapshotEvents(client: KubeClient, namespace: string): Promise<EventSnapshot> {
  const { items } = await client.listAll<EventObject>({ apiVersion: 'v1', kind: 'Event' }, { namespace });
  const out = new Map<string, { who: string; count: number }>();
  for (const e of items) {
    const component = e.reportingComponent || e.source?.component || 'unknown';
    out.set(e.metadata.name ?? '', {
      who: `${component} ${e.involvedObject?.kind ?? ''} ${e.reason ?? ''}`,
      count: e.count ?? 1,
    });
  }
  return out;
}

export interface EventCensusRow {
  /** "component kind reason" */
  readonly what: string;
  /** Event objects created between the snapshots. */
  readonly created: number;
  /** Occurrences counted between the snapshots (count increments included). */
  readonly occurrences: number;
}

/** What changed between two snapshots, largest first (Events expired in between are not seen). */
export function eventCensus(before: EventSnapshot, after: EventSnapshot): EventCensusRow[] {
  const rows = new Map<string, { created: number; occurrences: number }>();
  for (const [name, e] of after) {
    const was = before.get(name);
    const row = rows.get(e.who) ?? { created: 0, occurrences: 0 };
    if (was === undefined) row.created += 1;
    row.occurrences += e.count - (was?.count ?? 0);
    if (row.occurrences > 0 || row.created > 0) rows.set(e.who, row);
  }
  return [...rows]
    .map(([what, r]) => ({ what, ...r }))
    .sort((a, b) => b.occurrences - a.occurrences || a.what.localeCompare(b.what));
}

/** Snapshots until two in a row, `intervalMs` apart, are equal (recorders drain their backlogs), or `maxMs`. */
export async function settledEvents(
  client: KubeClient,
  namespace: string,
  intervalMs = 2_000,
  maxMs = 120_000,
): Promise<EventSnapshot> {
  const total = (s: EventSnapshot) => [...s.values()].reduce((n, e) => n + e.count, 0);
  const deadline = Date.now() + maxMs;
  let last = await snapshotEvents(client, namespace);
  for (;;) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const next = await snapshotEvents(client, namespace);
    if ((next.size === last.size && total(next) === total(last)) || Date.now() > deadline) return next;
    last = next;
  }
}
