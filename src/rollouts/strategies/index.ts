export {
  ACTION_ORDER,
  type ActionOf,
  actionsOf,
  type EventIntent,
  inExecutionOrder,
  PRE_COMMIT,
  type RolloutAction,
  type RolloutActionType,
  type ScaleIntent,
  type ServiceSwitch,
  type TrafficWeightIntent,
} from './actions.js';
export { rolloutStrategies, strategyFor } from './registry.js';
export type {
  EphemeralMetadataRoles,
  RolloutDecision,
  RolloutObservation,
  RolloutStrategy,
} from './strategy.js';
