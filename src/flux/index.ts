// The Flux dialect's public surface: GitRepository, Kustomization, HelmRepository, HelmChart,
// HelmRelease and OCIRepository on the sync engine; ImageRepository and ImagePolicy.

export { NAME_LABEL, NAMESPACE_LABEL } from './apply.js';
export { sourcePath, withFluxOverrides } from './build.js';
export { type ChartFile, DefaultChartArchiveLimits, readChartArchive, readTarGz } from './chart-archive.js';
export { FluxConditionType, FluxReason, setFluxCondition } from './conditions.js';
export { dependencyNotReady } from './dependencies.js';
export { fluxRevision, type RefResolution, resolveGitRef, revisionSha } from './git-ref.js';
export { decideHealth, type HealthDecision, objectStatus } from './health-check.js';
export { chartDownloadUrl, parseChartIndex, selectChartVersion } from './helm-index.js';
export {
  HELM_NAME_LABEL,
  HELM_NAMESPACE_LABEL,
  helmChartRef,
  releaseChartSource,
  releaseNameOf,
} from './helm-release-chart.js';
export {
  briefDrift,
  type CompiledIgnoreRule,
  compileIgnoreRules,
  DRIFT_DETECTION_KEY,
  DriftDetectionError,
  diffOps,
  driftCorrectedMessage,
  driftCorrectionFailedMessage,
  driftDetectedMessage,
  driftMode,
  hasDrift,
  ignoredPointers,
  isDriftExcluded,
  type ObjectDrift,
  type PatchOp,
  selectorMatches,
  summarizeDrift,
} from './helm-release-drift-rules.js';
export { decideRelease, type ReleaseAction, retriesExhausted } from './helm-release-plan.js';
export {
  PostRenderError,
  postRender,
  postRenderersChanged,
  postRenderersDigest,
} from './helm-release-post-render.js';
export { HelmConditionType, HelmReason, HelmReleaseStatusDraft } from './helm-release-status.js';
export {
  AWAITING_TESTS_REASON,
  awaitTests,
  decideReleaseStep,
  ignoresTestFailures,
  markTestFailed,
  markTestSucceeded,
  type ReleaseStep,
  recordTestHooks,
  summarizeTests,
} from './helm-release-test-status.js';
export {
  assessRunningHook,
  HookDeletePolicy,
  type HookObservation,
  hasBeenTested,
  hasDeletePolicy,
  hasTestInPhase,
  isTestHook,
  isTestHookSelected,
  nextTestRunStep,
  observeHookObject,
  selectedTestHooks,
  splitTestHooks,
  storedTestHook,
  TestHookPhase,
  type TestRunStep,
  testHooksSummary,
  withoutTestHooks,
} from './helm-test-hooks.js';
export {
  HELM_CHART_GVK,
  HELM_RELEASE_GVK,
  HELM_REPOSITORY_GVK,
  type HelmChart,
  type HelmRelease,
  type HelmRepository,
  type HelmTestFilter,
  type PostRenderer,
  type Snapshot,
  type TestHookStatus,
} from './helm-types.js';
export { mergeValues, setValueAtPath } from './helm-values.js';
export {
  applySetters,
  applySettersToText,
  IMAGE_UPDATE_AUTOMATION_GVK,
  ImageAutomationReason,
  type ImagePolicyView,
  type ImageUpdateAutomation,
  NamespacedName,
  type PolicyLatest,
  readManifestFiles,
  renderCommitMessage,
  type SetterChange,
  setterValues,
  TemplateData,
  UpdateResult,
} from './image-automation/index.js';
export { finalizeImageConditions, type ImageOutcome, ImageReason } from './image-conditions.js';
export {
  applyImagePolicy,
  applyTagFilter,
  imagePolicyReadyMessage,
  nextImageRefs,
  type PolicyOutcome,
  policerFromSpec,
} from './image-policy.js';
export { imageRepositoryKeyOf } from './image-policy-reconciler.js';
export { type ImageReference, parseImageReference } from './image-reference.js';
export { unsupportedImageRepositorySpec } from './image-repository-reconciler.js';
export {
  decideScan,
  filterOutTags,
  latestTagsOf,
  ScanReason,
  sortTagsDescending,
  tagsRevision,
} from './image-scan.js';
export { DefaultImageScanLimits, type ImageScanLimits } from './image-scanner.js';
export { ImageTagStore, type StoredTags } from './image-tag-store.js';
export {
  IMAGE_POLICY_GVK,
  IMAGE_REPOSITORY_GVK,
  type ImagePolicy,
  type ImagePolicySpec,
  type ImagePolicyStatus,
  type ImageRef,
  type ImageRepository,
  type ImageRepositoryStatus,
} from './image-types.js';
export { formatDurationMs } from './intervals.js';
export { inventoryEntry, inventoryId, parseInventoryEntry, staleEntries } from './inventory.js';
export {
  type FluxControllerHandle,
  type FluxControllerOptions,
  type FluxModuleOptions,
  fluxControllerModule,
  registerFluxControllers,
} from './module.js';
export {
  anyInMetadata,
  FORCE_ANNOTATION,
  isApplySkipped,
  isForceRecreated,
  isPruneExcluded,
  PRUNE_ANNOTATION,
  RECONCILE_ANNOTATION,
  SSA_ANNOTATION,
} from './object-policy.js';
export {
  type ChartVersionMatch,
  chartVersionsFromTags,
  chartVersionWithDigest,
  HELM_CHART_CONFIG_MEDIA_TYPE,
  HELM_CHART_CONTENT_MEDIA_TYPE,
  isExactChartVersion,
  matchChartVersion,
  ociChartTag,
} from './oci-chart-version.js';
export { type OciChartPull, type OciChartRequest, pullOciHelmChart } from './oci-helm-chart.js';
export { ociRevision, resolveOciRef } from './oci-ref.js';
export { headManifestDigest, listTags, parseOciUrl, TagListLimitError } from './oci-registry.js';
export { FLUX_CONTENT_MEDIA_TYPE, OCI_REPOSITORY_GVK, type OCIRepository } from './oci-types.js';
export {
  decodeRelease,
  encodeRelease,
  releaseSecretName,
  type StoredHook,
  type StoredRelease,
} from './release-storage.js';
export { artifactIgnoreRules, isIgnored, parseIgnore } from './source-ignore.js';
export { FLUX_FINALIZER } from './status-write.js';
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
