// The ApplicationSet controller's public surface: what the CLI, tests and benches use.
export { ApplicationSetError, ApplicationSetErrorCode } from './errors.js';
export { type GenerateOutcome, generateApplications, validateGeneratedApplications } from './generate.js';
export type { ClusterSecret, GeneratorContext, GitContentReader } from './generators/context.js';
export { gitPathspecMatch, goPathMatch } from './generators/git-paths.js';
export { GENERATOR_KINDS, requeueAfterMs, transform, usesClusters } from './generators/registry.js';
export { RepoContentReader } from './git-content.js';
export {
  type ApplicationSetControllerOptions,
  type ApplicationSetsModuleOptions,
  applicationSetsControllerModule,
  CLUSTER_SECRET_LABEL,
  registerApplicationSetController,
} from './module.js';
export { flattenParams, sanitizeName } from './params.js';
export { type ApplicationAction, DEFAULT_PRESERVED_ANNOTATIONS, planApplications } from './plan.js';
export {
  type DesiredApplication,
  ProgressMessage,
  planRollingSync,
  type RollingSyncInput,
  type RollingSyncPlan,
  RolloutReason,
  type RolloutStop,
} from './progressive/rolling-sync.js';
export { assignSteps, isRollingSync, issuesMessage, scaledMaxUpdate } from './progressive/steps.js';
export {
  ROLLING_SYNC_INITIATOR,
  ROLLING_SYNC_REASON,
  rollingSyncOperation,
  withAutoSyncHold,
} from './progressive/sync-trigger.js';
export { ApplicationSetReconciler, clusterSecretOf, REQUEUE_ON_ERROR_MS } from './reconciler.js';
export {
  ApplicationSetReason,
  applicationSetHealth,
  applyConditions,
  buildStatus,
  resourceStatuses,
} from './status.js';
export { replaceFastTemplate } from './template/fasttemplate.js';
export { applyTemplatePatch } from './template/patch.js';
export {
  deepReplace,
  RESOURCES_FINALIZER,
  renderApplication,
  replaceString,
  templateApplication,
} from './template/render.js';
export { slugifyName, toYaml } from './template/template-functions.js';
export type * from './types.js';
