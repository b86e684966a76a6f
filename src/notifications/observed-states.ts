import type { KubeObject } from '../kube/index.js';
import { notifiedAnnotation } from './notified-state.js';
import { type NotificationPlan, type PlanInput, planNotifications } from './plan.js';

/** Observations kept per object between two reconciles of it; older ones are dropped first. */
export const maxObservationsPerObject = 4;

/**
 * The versions of each watched object the watch delivered since its last reconcile, so a state that lived
 * shorter than the reconcile took to run (OutOfSync for the half second of a self-heal, a pause that ended at
 * once) still fires its state triggers. Bounded per object; emptied by the reconcile that planned them.
 */
export class ObservedStates {
  private readonly pending = new Map<string, KubeObject[]>();

  record(key: string, object: KubeObject): void {
    const list = this.pending.get(key) ?? [];
    if (list.at(-1)?.metadata.resourceVersion === object.metadata.resourceVersion) return;
    list.push(object);
    if (list.length > maxObservationsPerObject) list.shift();
    this.pending.set(key, list);
  }

  /** The observations of `key`, oldest first (the newest is the cache's current one). */
  peek(key: string): readonly KubeObject[] {
    return this.pending.get(key) ?? [];
  }

  /** Forgets the observations a reconcile has planned (and committed); newer ones stay. */
  ack(key: string, planned: readonly KubeObject[]): void {
    const list = this.pending.get(key);
    if (list === undefined) return;
    const done = new Set(planned);
    const rest = list.filter((o) => !done.has(o));
    if (rest.length === 0) this.pending.delete(key);
    else this.pending.set(key, rest);
  }

  forget(key: string): void {
    this.pending.delete(key);
  }
}

/**
 * The object to evaluate: the state that was observed, with the subscriptions (annotations, labels) of the
 * fresh read, or the fresh read itself when the observed object was replaced by another of the same name.
 */
export function observedWithCurrentSubscriptions(observed: KubeObject, fresh: KubeObject): KubeObject {
  if (observed === fresh) return observed;
  if (observed.metadata.uid !== fresh.metadata.uid) return fresh;
  const { annotations, labels } = fresh.metadata;
  const metadata = { ...observed.metadata };
  delete metadata.annotations;
  delete metadata.labels;
  return {
    ...observed,
    metadata: { ...metadata, ...(annotations && { annotations }), ...(labels && { labels }) },
  };
}

/**
 * State triggers over a sequence of observed states, oldest first: each is evaluated against the notified
 * state the previous one left (starting from `fresh`'s), so every true-after-false transition the watch showed
 * notifies once. Problems are those of the last (current) state.
 */
export function planObservedStates(
  input: Omit<PlanInput, 'object' | 'notifiedFrom'>,
  observations: readonly KubeObject[],
  fresh: KubeObject,
): NotificationPlan {
  const original = fresh.metadata.annotations?.[notifiedAnnotation];
  let notifiedFrom = fresh;
  let last: NotificationPlan | undefined;
  const deliveries: NotificationPlan['deliveries'][number][] = [];
  const failures: NotificationPlan['failures'][number][] = [];
  for (const observed of observations.length > 0 ? observations : [fresh]) {
    const object = observedWithCurrentSubscriptions(observed, fresh);
    last = planNotifications({ ...input, object, notifiedFrom });
    deliveries.push(...last.deliveries);
    failures.push(...last.failures);
    const previous = notifiedFrom.metadata.annotations?.[notifiedAnnotation];
    const value = last.notifiedAnnotation ? last.notifiedAnnotation.value : previous;
    const annotations = { ...fresh.metadata.annotations };
    if (value === undefined) delete annotations[notifiedAnnotation];
    else annotations[notifiedAnnotation] = value;
    notifiedFrom = { ...fresh, metadata: { ...fresh.metadata, annotations } };
  }
  const final = notifiedFrom.metadata.annotations?.[notifiedAnnotation];
  return {
    notified: last!.notified,
    ...(final !== original && { notifiedAnnotation: { value: final } }),
    deliveries,
    failures: dedupeFailures(failures),
    evaluationErrors: last!.evaluationErrors,
    subscriptionProblems: last!.subscriptionProblems,
  };
}

function dedupeFailures(failures: NotificationPlan['failures']): NotificationPlan['failures'] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const k = JSON.stringify([f.trigger, f.service, f.recipient, f.reason]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
