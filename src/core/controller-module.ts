import type { Manager } from './manager.js';

/** Options every controller module takes (the shared flags of `slipway controller`). */
export interface CommonModuleOptions {
  /** Watch one namespace only (`--namespace`). Default: all. */
  readonly namespace?: string;
  /**
   * Argo Rollouts' `--instance-id`: run only the Argo Rollouts objects labelled with it (none: only the
   * unlabelled ones). Modules that do not run Argo Rollouts objects ignore it.
   */
  readonly instanceId?: string;
}

/**
 * A feature area that adds its informers and controllers to the manager. Each module declares its own
 * `Options` (flags and environment already parsed by the CLI); modules read no environment themselves.
 */
export interface ControllerModule<Options extends CommonModuleOptions = CommonModuleOptions> {
  readonly name: string;
  register(manager: Manager, options: Options): void;
}
