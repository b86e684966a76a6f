/**
 * The strategy seam: a strategy turns one reconcile's observations into the machine's events, runs its
 * XState machine through the pure `transition()`, projects the new status and returns the named actions
 * the machine emitted. The reconciler picks the strategy from the spec; ReplicaSet management, analysis
 * wiring and the executor are shared. Pure: no client, no clock.
 */
import type { AnyStateMachine } from 'xstate';
import type { Experiment } from '../../experiments/index.js';
import type { KubeObject } from '../../kube/index.js';
import type { AnalysisRun } from '../analysis/analysis-runs.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import type { PodTemplateMetadata, Rollout, RolloutStatus } from '../types.js';
import type { RolloutAction } from './actions.js';

export interface RolloutObservation {
  readonly rollout: Rollout;
  /** ReplicaSets the Rollout controls, the new one included. */
  readonly replicaSets: readonly ReplicaSet[];
  readonly newRS: ReplicaSet;
  readonly newRSCreated: boolean;
  readonly currentPodHash: string;
  readonly revision: number;
  readonly runs: readonly AnalysisRun[];
  /** Names of every AnalysisRun in the namespace (a new run's name must be free). Default: `runs`' names. */
  readonly runNamesInUse?: ReadonlySet<string>;
  /** The Experiments the Rollout owns. Default: none. */
  readonly experiments?: readonly Experiment[];
  /** Names of every Experiment in the namespace (a new one's name must be free). Default: `experiments`' names. */
  readonly experimentNamesInUse?: ReadonlySet<string>;
  /** The Services the strategy names, by name (missing ones are absent). Default: none. */
  readonly services?: ReadonlyMap<string, KubeObject>;
  /** Whether a registered traffic router runs this Rollout's `trafficRouting`. Default: false. */
  readonly trafficRouted?: boolean;
  readonly now: number;
}

export interface RolloutDecision {
  /** The status to write (the source of truth). */
  readonly status: RolloutStatus;
  /** The machine's named actions, in the order it returned them (the executor re-orders them). */
  readonly actions: readonly RolloutAction[];
  /** The machine's input events, for logs and golden tests. */
  readonly machineEvents: readonly { readonly type: string }[];
}

export interface RolloutStrategy {
  /** `canary`, `blueGreen`: the `spec.strategy` key. */
  readonly name: string;
  /** The strategy's XState machine (rendered to docs/machines/<name>.md by `npm run docs:machines`). */
  readonly machine: AnyStateMachine;
  /** Where the machine is defined, relative to the repository root. */
  readonly machineSource: string;
  matches(rollout: Rollout): boolean;
  decide(observation: RolloutObservation): RolloutDecision;
  /** The Services a reconcile should look up for this Rollout. */
  serviceNames(rollout: Rollout): readonly string[];
  /** The ephemeral pod metadata of the new and the stable ReplicaSet (Argo's reconcileEphemeralMetadata). */
  ephemeralMetadata(rollout: Rollout): EphemeralMetadataRoles;
  /** How many pods a restart (`spec.restartAt`) may take down at once (Argo's MaxUnavailable). */
  restartMaxUnavailable(rollout: Rollout): number;
  /** Why the Services it names cannot be used (missing, selecting other pods, another Rollout's), if so. */
  serviceError?(rollout: Rollout, services: ReadonlyMap<string, KubeObject>): string | undefined;
  /** What the strategy changes in a new ReplicaSet before it is created (blue-green's antiAffinity). */
  decorateReplicaSet?(rollout: Rollout, rs: ReplicaSet): ReplicaSet;
}

/** `canaryMetadata`/`stableMetadata` or `previewMetadata`/`activeMetadata`. */
export interface EphemeralMetadataRoles {
  readonly new?: PodTemplateMetadata;
  readonly stable?: PodTemplateMetadata;
}
