// Flux image automation's ImageUpdateAutomation: the Setters strategy (pure), the commit message,
// the Git clone/commit/push run and the controller.

export {
  AutomationStatusDraft,
  ImageAutomationReason,
  observedPoliciesChanged,
  pushSummary,
  READY_MESSAGE,
} from './automation-status.js';
export { type CommitMessage, DEFAULT_MESSAGE_TEMPLATE, renderCommitMessage } from './commit-message.js';
export {
  DefaultManifestReadLimits,
  type ManifestRead,
  type ManifestReadLimits,
  readManifestFiles,
} from './manifest-files.js';
export { type ImageAutomationRegistration, registerImageUpdateAutomations } from './register.js';
export { scalarText } from './scalar-text.js';
export { applySettersInSlices } from './setter-slices.js';
export {
  type ImageRef,
  imageRefString,
  markerSetter,
  type PolicyLatest,
  type SetterValue,
  setterValues,
} from './setter-values.js';
export {
  applySetters,
  applySettersToText,
  type FileUpdate,
  type ManifestFile,
  type ObjectId,
  type SetterChange,
  type SettersOutcome,
  setterSteps,
} from './setters.js';
export { sourceConfig, updateStrategyProblem } from './source-config.js';
export {
  IMAGE_POLICY_GVK,
  IMAGE_UPDATE_AUTOMATION_GVK,
  type ImagePolicyView,
  type ImageUpdateAutomation,
} from './types.js';
export { NamespacedName, TemplateData, UpdateResult } from './update-result.js';
