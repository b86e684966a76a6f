export {
  assignRoundRobin,
  type KeyShardingAlgorithm,
  ownerOf,
  SHARDING_ALGORITHMS,
  type ShardingAlgorithm,
  sortedMembers,
} from './assignment.js';
export {
  type ClusterShardingAlgorithm,
  type ClusterShardTable,
  clusterShards,
  parseShardField,
  type ShardCluster,
} from './cluster-assignment.js';
export {
  type ClusterClaim,
  ClusterClaims,
  decodeClusterClaim,
  encodeClusterClaim,
} from './cluster-claims.js';
export {
  ClusterShardGate,
  type ClusterShardGateOptions,
  type ClusterUnitSource,
  type MembershipView,
  SHARD_CLUSTER_CLAIM_ANNOTATION,
} from './cluster-gate.js';
export {
  type MemberObservation,
  ShardCoordinator,
  type ShardCoordinatorOptions,
  type ShardView,
  viewFingerprint,
} from './shard-coordinator.js';
export {
  memberIdentity,
  observeShardLease,
  SHARD_CLAIM_ANNOTATION,
  SHARD_GROUP_LABEL,
  type ShardLease,
  shardLease,
  shardLeaseName,
} from './shard-lease.js';
export {
  type ClaimChannel,
  type ShardGate,
  type ShardingOptions,
  ShardMembership,
} from './shard-membership.js';
