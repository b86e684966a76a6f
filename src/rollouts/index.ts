export * from './analysis-runs.js';
export * from './analysis-template-check.js';
export * from './conditions.js';
export {
  DEFAULT_ROLLOUT_THREADS,
  type RegisterRolloutsOptions,
  registerRolloutController,
  rolloutsModule,
} from './controller.js';
export * from './decide.js';
export * from './duration.js';
export * from './ephemeral-metadata.js';
export { FIELD_MANAGER, MANAGED_BY_ANNOTATION, RolloutExecutor } from './executor.js';
export * from './machine.js';
export * from './phase.js';
export * from './pod-template-defaults.js';
export * from './pod-template-hash.js';
export { type RolloutInformers, type RolloutObject, RolloutReconciler } from './reconciler.js';
export * from './replica-ceiling.js';
export * from './replica-sets.js';
export * from './replicas.js';
export * from './restart.js';
export * from './rollback-window.js';
export * from './rollout-conditions.js';
export * from './scaling.js';
export * from './services.js';
export * from './step-description.js';
export * from './steps.js';
export type * from './types.js';
export * from './unsupported-features.js';
export * from './user-actions.js';
export * from './validation.js';
