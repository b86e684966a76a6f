import type { WebhookSecrets } from '../sync/index.js';
// The render folder's own surface, not the sync module's index: reading the environment must not load
// the sync engine into a controller that does not run it.
import { type RenderLimitsFromEnv, renderLimitsFromEnv } from '../sync/render/index.js';

/**
 * Every environment variable the `slipway` command acts on, read once and passed down as options:
 * modules (sync, notifications, observability, …) read no environment themselves. Names and defaults
 * are the README's configuration reference.
 */
export interface CliEnvironment {
  /** `POD_NAMESPACE`: default of `--leader-election-namespace`. */
  readonly podNamespace?: string;
  /** `SLIPWAY_LOG_LEVEL`: default of `--log-level`. */
  readonly logLevel?: string;
  /** `SLIPWAY_SYNC_DIR`: the Application controller's work dir. */
  readonly syncDir?: string;
  /** `SLIPWAY_REPO_POLL_SECONDS` (default 180), in ms. */
  readonly repoPollIntervalMs: number;
  /** `SLIPWAY_MAX_MANIFEST_FILE_BYTES`, `SLIPWAY_MAX_RENDER_BYTES`, with the names of invalid ones. */
  readonly renderLimits: RenderLimitsFromEnv;
  /** `SLIPWAY_WEBHOOK_GITHUB_SECRET`, `SLIPWAY_WEBHOOK_GITLAB_SECRET` (unset or empty: none). */
  readonly webhookSecrets: WebhookSecrets;
  /** `SLIPWAY_NOTIFICATIONS_NAMESPACE`: namespace of the shared notification configuration. */
  readonly notificationsNamespace?: string;
  /** `SLIPWAY_SLACK_API_URL`: Slack API base when a service sets no `apiURL`. */
  readonly slackApiUrl?: string;
  /** `SLIPWAY_PROMETHEUS_BIN`: a Prometheus binary to use instead of building one. */
  readonly prometheusBin?: string;
  /** `USER`: who a CLI-initiated sync or rollback names. */
  readonly user?: string;
  /** `NO_COLOR` set (to anything). */
  readonly noColor: boolean;
  /** `FLUX_SYSTEM_NAMESPACE`: the default namespace of `slipway flux get`, as for the flux CLI. */
  readonly fluxSystemNamespace?: string;
}

/** Reads the variables from `env`. Pure apart from its argument. */
export function readCliEnvironment(env: Readonly<Record<string, string | undefined>>): CliEnvironment {
  return {
    ...(env.POD_NAMESPACE !== undefined && { podNamespace: env.POD_NAMESPACE }),
    ...(env.SLIPWAY_LOG_LEVEL !== undefined && { logLevel: env.SLIPWAY_LOG_LEVEL }),
    ...(env.SLIPWAY_SYNC_DIR !== undefined && { syncDir: env.SLIPWAY_SYNC_DIR }),
    repoPollIntervalMs: Number(env.SLIPWAY_REPO_POLL_SECONDS ?? 180) * 1000,
    renderLimits: renderLimitsFromEnv(env),
    webhookSecrets: {
      ...(env.SLIPWAY_WEBHOOK_GITHUB_SECRET && { github: env.SLIPWAY_WEBHOOK_GITHUB_SECRET }),
      ...(env.SLIPWAY_WEBHOOK_GITLAB_SECRET && { gitlab: env.SLIPWAY_WEBHOOK_GITLAB_SECRET }),
    },
    ...(env.SLIPWAY_NOTIFICATIONS_NAMESPACE !== undefined && {
      notificationsNamespace: env.SLIPWAY_NOTIFICATIONS_NAMESPACE,
    }),
    ...(env.SLIPWAY_SLACK_API_URL !== undefined && { slackApiUrl: env.SLIPWAY_SLACK_API_URL }),
    ...(env.SLIPWAY_PROMETHEUS_BIN !== undefined && { prometheusBin: env.SLIPWAY_PROMETHEUS_BIN }),
    ...(env.USER !== undefined && { user: env.USER }),
    noColor: env.NO_COLOR !== undefined,
    ...(env.FLUX_SYSTEM_NAMESPACE ? { fluxSystemNamespace: env.FLUX_SYSTEM_NAMESPACE } : {}),
  };
}

let current: CliEnvironment | undefined;

/** The process environment, read on first use and kept for the life of the command. */
export function cliEnvironment(): CliEnvironment {
  current ??= readCliEnvironment(process.env);
  return current;
}
