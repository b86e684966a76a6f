// The Flux dialect's public surface: GitRepository and Kustomization on the sync engine.

export { NAME_LABEL, NAMESPACE_LABEL, PRUNE_ANNOTATION } from './apply.js';
export { sourcePath, withFluxOverrides } from './build.js';
export { FluxConditionType, FluxReason, setFluxCondition } from './conditions.js';
export { dependencyNotReady } from './dependencies.js';
export { fluxRevision, type RefResolution, resolveGitRef, revisionSha } from './git-ref.js';
export { decideHealth, type HealthDecision, objectStatus } from './health-check.js';
export { formatDurationMs } from './intervals.js';
export { inventoryEntry, inventoryId, parseInventoryEntry, staleEntries } from './inventory.js';
export { FLUX_FINALIZER } from './kustomization-reconciler.js';
export {
  type FluxControllerHandle,
  type FluxControllerOptions,
  type FluxModuleOptions,
  fluxControllerModule,
  registerFluxControllers,
} from './module.js';
export { artifactIgnoreRules, isIgnored, parseIgnore } from './source-ignore.js';
export { invalidVariableName, substituteObjects, substituteText } from './substitute.js';
export {
  type Artifact,
  type FluxCondition,
  GIT_REPOSITORY_GVK,
  type GitRepository,
  KUSTOMIZATION_GVK,
  type Kustomization,
  type ResourceRef,
} from './types.js';
