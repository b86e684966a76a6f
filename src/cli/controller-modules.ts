import { analysisControllerModule } from '../analysis/index.js';
import type { Manager } from '../core/index.js';
import { notificationsControllerModule } from '../notifications/index.js';
import { rolloutsModule } from '../rollouts/index.js';
import { syncControllerModule } from '../sync/index.js';

export interface ControllerModuleOptions {
  /** Watch one namespace only. */
  readonly namespace?: string;
  /** Concurrent Rollout reconciles (`--rollout-threads`). */
  readonly rolloutThreads?: number;
  /** Concurrent AnalysisRun reconciles (`--analysis-threads`). */
  readonly analysisThreads?: number;
  /** Most replicas a Rollout may ask for (`--max-replicas`). */
  readonly maxReplicas?: number;
  /** Read notification config in each object's namespace too (`--self-service-notification-enabled`). */
  readonly selfServiceNotification?: boolean;
  /** Namespaces the Application controller may apply into (`--sync-namespaces`). Default: all. */
  readonly syncNamespaces?: readonly string[];
}

/** A feature area that adds its informers and controllers to the manager. */
export interface ControllerModule {
  readonly name: string;
  register(manager: Manager, options: ControllerModuleOptions): void;
}

/** Every controller `slipway controller` runs. Modules add themselves here as they land. */
export const controllerModules: readonly ControllerModule[] = [
  analysisControllerModule,
  rolloutsModule,
  notificationsControllerModule,
  syncControllerModule,
];
