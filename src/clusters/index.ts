export {
  type ClusterSecretInput,
  clusterFromSecret,
  clusterSecret,
  clusterSecretName,
  clustersFromSecrets,
  inCluster,
  type SecretObject,
} from './cluster-secret.js';
export { connectionFingerprint, probeConnection, shortVersion } from './connection.js';
export {
  type Destination,
  type DestinationResolution,
  isInCluster,
  resolveDestination,
} from './destination.js';
export { ClusterError, ClusterErrorCode } from './errors.js';
export {
  installManagerAccount,
  MANAGER_CLUSTER_ROLE,
  MANAGER_CLUSTER_ROLE_BINDING,
  MANAGER_SERVICE_ACCOUNT,
  MANAGER_TOKEN_SECRET,
  type ManagerAccountOptions,
  uninstallManagerAccount,
} from './manager-account.js';
export { ClusterRegistry } from './registry.js';
export {
  CLUSTER_SECRET_SELECTOR,
  type Cluster,
  type ConnectionState,
  IN_CLUSTER_NAME,
  IN_CLUSTER_SERVER,
  SECRET_TYPE_LABEL,
} from './types.js';
