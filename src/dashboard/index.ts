export {
  type ActionPatches,
  actionAccess,
  applicationActionAccess,
  applicationReadAccess,
  childReadAccess,
  configMapReadAccess,
  deniedMessage,
  describeAccess,
  eventsReadAccess,
  listAccess,
  type ResourceAttributes,
  rolloutReadAccess,
  specActionAccess,
  type Viewer,
} from './access.js';
export { analysisMetricSamples, type MetricSample, registerAnalysisMetrics } from './analysis-metrics.js';
export {
  type ActionInput,
  type ApiResult,
  DashboardApi,
  type DashboardApiOptions,
  ROLLOUT_ACTIONS,
  type RolloutPage,
} from './api.js';
export {
  APPLICATION_ACTIONS,
  type ApplicationAction,
  type ApplicationPage,
  ApplicationsApi,
  applicationActionPatch,
} from './application-api.js';
export {
  type ApplicationDetail,
  type ApplicationWorld,
  applicationDetail,
  MAX_TREE_NODES,
  type ResourceNode,
} from './application-detail.js';
export {
  DashboardCaches,
  type DashboardCachesOptions,
  type DashboardStores,
  type InformerSource,
  type NotificationConfigSource,
  trimPod,
} from './caches.js';
export { type DashboardOptions, startDashboard } from './dashboard.js';
export { applicationRow, type FleetRow, type FleetView, fleetView, rolloutRow } from './fleet-view.js';
export { NotificationsApi } from './notifications-api.js';
export {
  type Delivery,
  type FailureEvent,
  MAX_OBJECTS,
  type NotificationConfigMap,
  type NotificationConfigView,
  type NotificationsView,
  type NotifiedObject,
  notificationConfigView,
  notificationsView,
  type ObjectNotifications,
  parseNotifiedKey,
} from './notifications-view.js';
export { type AccessReviewer, KubeconfigAccessReviewer, TokenAccessReviewer } from './reviews.js';
export {
  type AnalysisRunLike,
  type AnalysisRunView,
  analysisRunView,
  type MetricView,
  type RolloutAction,
  type RolloutDetail,
  rolloutDetail,
  stepTimeline,
} from './rollout-detail.js';
export { type DashboardServer, type DashboardServerOptions, startDashboardServer } from './server.js';
export { conditionThresholds, measuredNumber, type Threshold } from './thresholds.js';
export {
  bundleDashboardUi,
  type DashboardAssets,
  DashboardAssetsError,
  loadDashboardAssets,
} from './ui-bundle.js';
