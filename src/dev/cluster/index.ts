export { binaryPaths, ControlPlaneVersions, ensureBinaries, slipwayCacheDir } from './binaries.js';
export { devClusterDown, devClusterUp, readDevClusterState } from './dev-cluster.js';
export {
  ALL_COMPONENTS,
  type ClusterState,
  type Component,
  LocalCluster,
  type LocalClusterOptions,
  stopClusterState,
} from './local-cluster.js';
export { freePorts } from './ports.js';
