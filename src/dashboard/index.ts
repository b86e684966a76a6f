export {
  type ActionPatches,
  actionAccess,
  childReadAccess,
  deniedMessage,
  describeAccess,
  listAccess,
  type ResourceAttributes,
  rolloutReadAccess,
  type Viewer,
} from './access.js';
export { analysisMetricSamples, type MetricSample, registerAnalysisMetrics } from './analysis-metrics.js';
export {
  type ApiResult,
  DashboardApi,
  type DashboardApiOptions,
  ROLLOUT_ACTIONS,
  type RolloutPage,
} from './api.js';
export {
  DashboardCaches,
  type DashboardCachesOptions,
  type DashboardStores,
  type InformerSource,
} from './caches.js';
export { type DashboardOptions, startDashboard } from './dashboard.js';
export { applicationRow, type FleetRow, type FleetView, fleetView, rolloutRow } from './fleet-view.js';
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
