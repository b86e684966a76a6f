export type { AnalysisRunObject, NamespaceObjects } from './children-info.js';
export { rolloutListTable } from './list-table.js';
export {
  clientRolloutPhase,
  currentSetWeight,
  type RolloutInfo,
  type RolloutObject,
  type RolloutSnapshot,
  rolloutInfo,
} from './rollout-info.js';
export { type RenderOptions, renderRollout } from './tree.js';
