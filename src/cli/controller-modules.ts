import { type AnalysisModuleOptions, analysisControllerModule } from '../analysis/index.js';
import {
  type ApplicationSetsModuleOptions,
  applicationSetsControllerModule,
} from '../applicationsets/index.js';
import type { ControllerModule, Manager } from '../core/index.js';
import { type ExperimentsModuleOptions, experimentsControllerModule } from '../experiments/index.js';
import { type FluxModuleOptions, fluxControllerModule } from '../flux/index.js';
import {
  type NotificationsControllerModuleOptions,
  notificationsControllerModule,
} from '../notifications/index.js';
import { type RolloutsModuleOptions, rolloutsModule } from '../rollouts/index.js';
import { type SyncModuleOptions, syncControllerModule } from '../sync/index.js';
import type { CliEnvironment } from './environment.js';

/** Each module's own options, by module name. */
export interface ControllerModulesOptions {
  readonly analysis: AnalysisModuleOptions;
  readonly rollouts: RolloutsModuleOptions;
  readonly experiments: ExperimentsModuleOptions;
  readonly notifications: NotificationsControllerModuleOptions;
  readonly sync: SyncModuleOptions;
  readonly applicationsets: ApplicationSetsModuleOptions;
  readonly flux: FluxModuleOptions;
}

export type ControllerModuleName = keyof ControllerModulesOptions;

const modules: { readonly [K in ControllerModuleName]: ControllerModule<ControllerModulesOptions[K]> } = {
  analysis: analysisControllerModule,
  rollouts: rolloutsModule,
  experiments: experimentsControllerModule,
  notifications: notificationsControllerModule,
  sync: syncControllerModule,
  applicationsets: applicationSetsControllerModule,
  flux: fluxControllerModule,
};

/** Every controller `slipway controller` runs, in registration order. Modules add themselves here. */
export const controllerModuleNames: readonly ControllerModuleName[] = [
  'analysis',
  'rollouts',
  'experiments',
  'notifications',
  'sync',
  'applicationsets',
];

/** Modules that run only when named in `--controllers` (the Flux dialect needs Flux's CRDs installed). */
export const optionalModuleNames: readonly ControllerModuleName[] = ['flux'];

/** Every module `--controllers` accepts, in registration order. */
export const knownModuleNames: readonly ControllerModuleName[] = [
  ...controllerModuleNames,
  ...optionalModuleNames,
];

/** The flags of `slipway controller` that modules use (undefined: the module's default). */
export interface ControllerFlags {
  readonly namespace?: string;
  readonly instanceId?: string;
  readonly rolloutThreads?: number;
  readonly analysisThreads?: number;
  readonly experimentThreads?: number;
  readonly maxReplicas?: number;
  readonly selfServiceNotification?: boolean;
  readonly syncNamespaces?: readonly string[];
  /** The flux module runs too: notifications also watch Kustomizations and HelmReleases. */
  readonly fluxModule?: boolean;
  /** Flux's --default-service-account: impersonated by Kustomizations and HelmReleases naming none. */
  readonly defaultServiceAccount?: string;
}

/** Splits the flags and the environment into each module's options. Pure. */
export function controllerModulesOptions(
  flags: ControllerFlags,
  env: CliEnvironment,
): ControllerModulesOptions {
  const common = flags.namespace !== undefined ? { namespace: flags.namespace } : {};
  // the modules that run Argo Rollouts objects (Argo's --instance-id)
  const argoRollouts = {
    ...common,
    ...(flags.instanceId !== undefined && { instanceId: flags.instanceId }),
  };
  return {
    analysis: {
      ...argoRollouts,
      ...(flags.analysisThreads !== undefined && { analysisThreads: flags.analysisThreads }),
    },
    rollouts: {
      ...argoRollouts,
      ...(flags.rolloutThreads !== undefined && { rolloutThreads: flags.rolloutThreads }),
      ...(flags.maxReplicas !== undefined && { maxReplicas: flags.maxReplicas }),
    },
    experiments: {
      ...common,
      ...(flags.experimentThreads !== undefined && { experimentThreads: flags.experimentThreads }),
    },
    notifications: {
      ...argoRollouts,
      selfServiceNotification: flags.selfServiceNotification ?? false,
      ...(flags.fluxModule === true && { fluxKinds: true }),
      ...(env.notificationsNamespace !== undefined && { configNamespace: env.notificationsNamespace }),
      ...(env.slackApiUrl !== undefined && { slackApiUrl: env.slackApiUrl }),
    },
    sync: {
      ...common,
      ...(flags.syncNamespaces !== undefined && { syncNamespaces: flags.syncNamespaces }),
      ...(env.syncDir !== undefined && { workDir: env.syncDir }),
      pollIntervalMs: env.repoPollIntervalMs,
      webhookSecrets: env.webhookSecrets,
      renderLimits: env.renderLimits.limits,
    },
    applicationsets: {
      ...common,
      ...(env.syncDir !== undefined && { workDir: env.syncDir }),
      renderLimits: env.renderLimits.limits,
    },
    flux: {
      ...common,
      ...(env.syncDir !== undefined && { workDir: env.syncDir }),
      renderLimits: env.renderLimits.limits,
      ...(flags.defaultServiceAccount !== undefined && {
        defaultServiceAccount: flags.defaultServiceAccount,
      }),
    },
  };
}

/** Registers the named modules with their options; warns once about environment values it ignores. */
export function registerControllerModules(
  manager: Manager,
  names: readonly ControllerModuleName[],
  options: ControllerModulesOptions,
  env: CliEnvironment,
): void {
  if (names.includes('sync')) {
    const logger = manager.logger.child({ controller: 'sync' });
    for (const variable of env.renderLimits.invalid)
      logger.warn({ variable }, 'ignoring a size limit that is not a positive number of bytes');
  }
  for (const name of names) register(manager, name, options);
}

function register<K extends ControllerModuleName>(
  manager: Manager,
  name: K,
  options: ControllerModulesOptions,
): void {
  modules[name].register(manager, options[name]);
}
