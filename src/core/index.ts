export { forEachBounded } from './bounded-concurrency.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export {
  type Condition,
  type ConditionInput,
  type ConditionLike,
  ConditionRules,
  type ConditionStatus,
  findCondition,
  isConditionTrue,
  type MarkInput,
  markFalse,
  markTrue,
  markUnknown,
  removeCondition,
  type SetConditionResult,
  setCondition,
  toKubeTime,
} from './conditions.js';
export {
  Controller,
  type ControllerOptions,
  type ReconcileContext,
  type ReconcileRequest,
  type Reconciler,
  requestFromKey,
} from './controller.js';
export type { CommonModuleOptions, ControllerModule } from './controller-module.js';
export { EchoFilter } from './echo-filter.js';
export {
  COMBINED_PREFIX,
  type CorrelatedEvent,
  type Correlation,
  type CorrelatorInput,
  type CorrelatorOptions,
  EventCorrelator,
} from './event-correlator.js';
export {
  type DurableEventBatch,
  type DurableEventListener,
  type EventListener,
  EventRecorder,
  type EventSpec,
  type EventSubject,
  type EventType,
  type RecordedEvent,
  transitionOf,
} from './event-recorder.js';
export { type LeaderElectionOptions, LeaderElector, microTime } from './leader-election.js';
export { Manager, type ManagerOptions } from './manager.js';
export {
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
  TokenBucketRateLimiter,
} from './rate-limiter.js';
export {
  type ReconcileOutcome,
  type ReconcileResult,
  reconcileOutcome,
  requeueAfter,
} from './reconcile-result.js';
export { RetryAfterStatusError } from './retry-after-status.js';
export {
  assignRoundRobin,
  type ClaimChannel,
  type ClusterClaim,
  ClusterClaims,
  ClusterShardGate,
  type ClusterShardGateOptions,
  type ClusterShardingAlgorithm,
  type ClusterShardTable,
  type ClusterUnitSource,
  clusterShards,
  decodeClusterClaim,
  encodeClusterClaim,
  type KeyShardingAlgorithm,
  type MemberObservation,
  memberIdentity,
  observeShardLease,
  ownerOf,
  parseShardField,
  SHARD_CLAIM_ANNOTATION,
  SHARD_CLUSTER_CLAIM_ANNOTATION,
  SHARD_GROUP_LABEL,
  SHARDING_ALGORITHMS,
  type ShardCluster,
  ShardCoordinator,
  type ShardCoordinatorOptions,
  type ShardGate,
  type ShardingAlgorithm,
  type ShardingOptions,
  type ShardLease,
  ShardMembership,
  type ShardView,
  shardLease,
  shardLeaseName,
  sortedMembers,
  viewFingerprint,
} from './sharding/index.js';
export { type StatusWrite, StatusWriter, type StatusWriterOptions } from './status-writer.js';
export { TerminalError } from './terminal-error.js';
export {
  type ChangeFilter,
  controllerKeyOf,
  enqueueMapped,
  enqueueOwner,
  enqueueSelf,
  specOrRequestChanged,
} from './watches.js';
export { type QueueLane, WorkQueue, type WorkQueueOptions } from './work-queue.js';
