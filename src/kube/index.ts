export {
  type ApplyOptions,
  type DeleteOptions,
  KubeClient,
  type KubeReader,
  type KubeWatcher,
  type KubeWriter,
  type ListOptions,
  type PatchOptions,
  type PatchType,
  type PodRef,
  resourcePath,
  type WatchOptions,
  type WriteOptions,
} from './client.js';
export {
  type ClusterConnectionConfig,
  type ClusterExecConfig,
  type ClusterTlsConfig,
  clusterAccessFromConfig,
} from './cluster-config.js';
export { Discovery } from './discovery.js';
export {
  errorFromNetwork,
  errorFromResponse,
  type InvolvedObject,
  isAlreadyExists,
  isConflict,
  isDisruptionBudget,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isRetryable,
  isUnavailable,
  KubeError,
  KubeErrorCode,
} from './errors.js';
export {
  type ClusterAccess,
  type ContextCluster,
  describeContextCluster,
  type KubeConfigEnvironment,
  type KubeConfigOptions,
  loadClusterAccess,
} from './kubeconfig.js';
export {
  formatMetaLabelSelector,
  InvalidLabelSelectorError,
  type LabelOperator,
  type LabelRequirement,
  type LabelSelector,
  labelSelectorFromMeta,
  type MetaLabelSelector,
  type MetaLabelSelectorRequirement,
  matchesLabelSelector,
  matchesMetaLabelSelector,
  parseLabelSelector,
} from './label-selector.js';
export { describeForbidden, explainAccessError, PERMISSIONS_DOC } from './permissions.js';
export { type ChangeHandler, Reflector, type ReflectorOptions, stripManagedFields } from './reflector.js';
export { Index, type IndexFunc, labelIndex, ObjectStore } from './store.js';
export { type HttpMethod, type Impersonation, type KubeRequest, KubeTransport } from './transport.js';
export * from './types.js';
