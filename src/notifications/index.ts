export { buildEntries, type ProblemContext, reportProblems } from './build-entries.js';
export {
  type CommitInput,
  type CommitVerdict,
  type CommitView,
  decideCommit,
  maxUncommittedMs,
} from './commit-gate.js';
export {
  type GlobalSubscription,
  knownServiceTypes,
  type NotificationConfig,
  type NotificationProblem,
  type NotificationProblemCode,
  type NotificationTemplate,
  notificationProblemCodes,
  type ParsedNotificationConfig,
  parseNotificationConfig,
  problemSeverity,
  type ServiceConfig,
  type ServiceType,
  type SlackDeliveryPolicy,
  type SlackTemplate,
  type TriggerCondition,
  type WebhookTemplate,
} from './config.js';
export { ConfigSource, type ConfigSourceOptions, type ConfigWatch, configWatches } from './config-source.js';
export { DeliveryEngine, type DeliveryEngineOptions, type ServiceResolver } from './delivery.js';
export { NotificationError, NotificationErrorCode } from './errors.js';
export { type EventTriggerDeps, EventTriggers } from './event-triggers.js';
export {
  argocdConfigMapName,
  argocdSecretName,
  argoNotificationKinds,
  fluxNotificationKinds,
  isNotificationKind,
  type NotificationKind,
  type NotificationKindName,
  notificationKinds,
  rolloutsConfigMapName,
  rolloutsSecretName,
} from './kinds.js';
export { NotificationMetrics } from './metrics.js';
export {
  type NotificationsControllerModuleOptions,
  type NotificationsModuleOptions,
  notificationsControllerModule,
  notificationsModule,
} from './module.js';
export {
  type ConditionObservation,
  conditionKey,
  hashCondition,
  markNotified,
  type NotificationKeyParts,
  type NotifiedState,
  notificationKey,
  notifiedAnnotation,
  notifiedHistoryMaxSize,
  observeCondition,
  parseNotifiedState,
  rearm,
  serializeNotifiedState,
  shouldNotify,
  truncateNotifiedState,
} from './notified-state.js';
export {
  encodeEntry,
  type OutboxEntry,
  outboxAnnotation,
  outboxAnnotationPrefix,
  parseSentMarker,
  readOutbox,
  type SentMarker,
  sentAnnotation,
  sentAnnotationPrefix,
  sentMarkersKept,
  sentMarkerValue,
  stableId,
  staleSentMarkers,
  type ThreadRef,
  threadAnnotation,
  threadAnnotationPrefix,
} from './outbox-entry.js';
export { KubeOutboxStore, MemoryOutboxStore, type OutboxOwner, type OutboxStore } from './outbox-store.js';
export { type BackoffOptions, backoffMs, type PacingOptions, TokenBucket } from './pacer.js';
export {
  type EvaluationError,
  type EventPlanInput,
  eventId,
  type NotificationApi,
  type NotificationPlan,
  type PlanInput,
  type PlannedDelivery,
  type PlannedFailure,
  planEventNotifications,
  planNotifications,
  type TriggerEvent,
} from './plan.js';
export { ProblemReporter, type ProblemReporterOptions } from './problem-reporter.js';
export { NotificationReconciler } from './reconciler.js';
export {
  type RenderedNotification,
  type RenderedSlack,
  type RenderedWebhook,
  type RenderJob,
  type RenderResult,
  renderJob,
  TemplateRenderer,
} from './render.js';
export {
  InlineRenderer,
  type Renderer,
  type RenderPoolOptions,
  WorkerRenderPool,
} from './render-pool.js';
export * from './services/index.js';
export {
  type Destination,
  defaultAnnotationPrefix,
  legacyRecipientsAnnotation,
  type ResolvedDestinations,
  resolveDestinations,
  type SubscriptionConfig,
  type SubscriptionOptions,
} from './subscriptions.js';
export {
  type ConditionOutcome,
  type ConditionResult,
  eventTriggerName,
  isEventTrigger,
  rolloutEventReasons,
  TriggerEvaluator,
} from './triggers.js';
export { templateData, triggerEnv, type VarsInput } from './vars.js';
