import type { AnalysisModuleOptions } from '../analysis/index.js';
import type { ApplicationSetsModuleOptions } from '../applicationsets/index.js';
import type { ControllerModule, Manager } from '../core/index.js';
import type { ExperimentsModuleOptions } from '../experiments/index.js';
import type { FluxModuleOptions } from '../flux/index.js';
import type { NotificationsControllerModuleOptions } from '../notifications/index.js';
import type { RolloutsModuleOptions } from '../rollouts/index.js';
import type { SyncModuleOptions } from '../sync/index.js';
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

/**
 * Each module's code, imported only when it runs: a process started with `--controllers rollouts` does
 * not load the sync engine, Flux, notifications (and @slack/web-api) or the ApplicationSet generators.
 */
const modules: {
  readonly [K in ControllerModuleName]: () => Promise<ControllerModule<ControllerModulesOptions[K]>>;
} = {
  analysis: async () => (await import('../analysis/index.js')).analysisControllerModule,
  rollouts: async () => (await import('../rollouts/index.js')).rolloutsModule,
  experiments: async () => (await import('../experiments/index.js')).experimentsControllerModule,
  notifications: async () => (await import('../notifications/index.js')).notificationsControllerModule,
  sync: async () => (await import('../sync/index.js')).syncControllerModule,
  applicationsets: async () => (await import('../applicationsets/index.js')).applicationSetsControllerModule,
  flux: async () => (await import('../flux/index.js')).fluxControllerModule,
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

/**
 * The defaults `slipway controller` shows in its help and passes to the modules (Argo Rollouts' own). They
 * equal the modules' DEFAULT_* constants (test/unit/cli/controller-modules.test.ts checks it); they live
 * here so that parsing flags and printing help load no module.
 */
export const controllerFlagDefaults = {
  rolloutThreads: 64,
  analysisThreads: 30,
  experimentThreads: 10,
  maxReplicas: 10_000,
} as const;

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

/** Loads and registers the named modules, in order; warns once about environment values it ignores. */
export async function registerControllerModules(
  manager: Manager,
  names: readonly ControllerModuleName[],
  options: ControllerModulesOptions,
  env: CliEnvironment,
): Promise<void> {
  if (names.includes('sync')) {
    const logger = manager.logger.child({ controller: 'sync' });
    for (const variable of env.renderLimits.invalid)
      logger.warn({ variable }, 'ignoring a size limit that is not a positive number of bytes');
  }
  for (const name of names) await register(manager, name, options);
}

async function register<K extends ControllerModuleName>(
  manager: Manager,
  name: K,
  options: ControllerModulesOptions,
): Promise<void> {
  (await modules[name]()).register(manager, options[name]);
}
