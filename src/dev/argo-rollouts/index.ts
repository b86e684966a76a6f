export {
  ARGO_ROLLOUTS_VERSION,
  type ArgoRolloutsBinaries,
  type ArgoRolloutsBinariesOptions,
  argoRolloutsBinaryPaths,
  ensureArgoRolloutsBinaries,
} from './binaries.js';
