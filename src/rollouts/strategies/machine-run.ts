/**
 * Running a strategy's machine for one decision, shared by every strategy: events go through XState's
 * pure `transition()` one after the other, and the named actions it returns are collected as plain data
 * for the executor. No actor, no clock, no side effect.
 */
import { type AnyStateMachine, type SnapshotFrom, transition } from 'xstate';
import type { RolloutAction } from './actions.js';

export interface MachineRun<TMachine extends AnyStateMachine> {
  readonly snapshot: SnapshotFrom<TMachine>;
  /** The named actions `transition()` returned, in order. */
  readonly actions: readonly RolloutAction[];
}

/** Feeds `events` from `from`; an action that throws surfaces instead of leaving half a decision. */
export function continueMachine<TMachine extends AnyStateMachine>(
  machine: TMachine,
  from: SnapshotFrom<TMachine>,
  events: readonly Parameters<TMachine['transition']>[1][],
): MachineRun<TMachine> {
  let snapshot = from;
  const actions: RolloutAction[] = [];
  for (const e of events) {
    const [next, executable] = transition(machine, snapshot, e);
    const state = next as { readonly status?: string; readonly error?: unknown };
    if (state.status === 'error') throw state.error;
    snapshot = next as SnapshotFrom<TMachine>;
    for (const a of executable)
      actions.push({
        type: a.type,
        ...(a.params !== undefined && { params: a.params }),
      } as unknown as RolloutAction);
  }
  return { snapshot, actions };
}
