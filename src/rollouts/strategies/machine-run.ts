/**
 * Running a strategy's machine for one decision, shared by every strategy: events go through XState's
 * pure `transition()` one after the other, and the named actions it returns are collected as plain data
 * for the executor. No actor, no clock, no side effect.
 */
import { type AnyStateMachine, type ContextFrom, type SnapshotFrom, transition } from 'xstate';
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

type MachineEvent<TMachine extends AnyStateMachine> = Parameters<TMachine['transition']>[1];

/** How a strategy runs its machine for one reconcile: status in, snapshot and named actions out. */
export interface MachineRunner<TMachine extends AnyStateMachine> {
  /** Rebuilds the snapshot from a context derived from status (no history is kept between reconciles). */
  readonly resolve: (context: ContextFrom<TMachine>) => SnapshotFrom<TMachine>;
  /** Feeds events through the pure `transition()` from `from`; collects the named actions it returns. */
  readonly continue: (
    from: SnapshotFrom<TMachine>,
    events: readonly MachineEvent<TMachine>[],
  ) => MachineRun<TMachine>;
  /** Rebuilds the snapshot from `context` and feeds the events through the pure `transition()`. */
  readonly run: (
    context: ContextFrom<TMachine>,
    events: readonly MachineEvent<TMachine>[],
  ) => MachineRun<TMachine>;
}

/** The runner of `machine`, whose state a context is in is `stateOf(context)` (derived from status alone). */
export function machineRunner<TMachine extends AnyStateMachine>(
  machine: TMachine,
  stateOf: (context: ContextFrom<TMachine>) => string,
): MachineRunner<TMachine> {
  const resolve = (context: ContextFrom<TMachine>): SnapshotFrom<TMachine> =>
    machine.resolveState({ value: stateOf(context), context }) as SnapshotFrom<TMachine>;
  const proceed = (from: SnapshotFrom<TMachine>, events: readonly MachineEvent<TMachine>[]) =>
    continueMachine(machine, from, events);
  return {
    resolve,
    continue: proceed,
    run: (context, events) => proceed(resolve(context), events),
  };
}
