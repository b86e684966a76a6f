import { SlipwayError } from '../errors/index.js';
import { type Command, commandHelp, ExitCode, parseCommandArgs, UsageError } from './command.js';
import { analysisRunCommand } from './commands/analysis-run.js';
import { appDiffCommand } from './commands/app-diff.js';
import { appGetCommand } from './commands/app-get.js';
import { appHistoryCommand } from './commands/app-history.js';
import { appListCommand } from './commands/app-list.js';
import { appRefreshCommand } from './commands/app-refresh.js';
import { appRollbackCommand } from './commands/app-rollback.js';
import { appSyncCommand } from './commands/app-sync.js';
import { clusterAddCommand } from './commands/cluster-add.js';
import { clusterListCommand } from './commands/cluster-list.js';
import { clusterRmCommand } from './commands/cluster-rm.js';
import { clusterShardsCommand } from './commands/cluster-shards.js';
import { controllerCommand } from './commands/controller.js';
import { dashboardCommand } from './commands/dashboard.js';
import {
  devClusterDownCommand,
  devClusterKubeconfigCommand,
  devClusterStatusCommand,
  devClusterUpCommand,
} from './commands/dev-cluster.js';
import { devPrometheusCommand, devSlackCommand } from './commands/dev-services.js';
import { fluxGetCommands } from './commands/flux-get.js';
import { installCommand } from './commands/install.js';
import { lintCommand } from './commands/lint.js';
import { notificationsTemplateNotifyCommand } from './commands/notifications-template.js';
import { notificationsTriggerRunCommand } from './commands/notifications-trigger.js';
import { rolloutGetCommand, rolloutListCommand } from './commands/rollout-get.js';
import { rolloutPromoteCommand } from './commands/rollout-promote.js';
import { rolloutSetImageCommand } from './commands/rollout-set-image.js';
import {
  rolloutAbortCommand,
  rolloutPauseCommand,
  rolloutRestartCommand,
  rolloutResumeCommand,
  rolloutRetryCommand,
} from './commands/rollout-simple.js';
import { rolloutUndoCommand } from './commands/rollout-undo.js';
import { versionCommand } from './commands/version.js';

export const commands: readonly Command[] = [
  analysisRunCommand,
  controllerCommand,
  dashboardCommand,
  installCommand,
  lintCommand,
  devClusterUpCommand,
  devClusterDownCommand,
  devClusterKubeconfigCommand,
  devClusterStatusCommand,
  devSlackCommand,
  devPrometheusCommand,
  notificationsTemplateNotifyCommand,
  notificationsTriggerRunCommand,
  rolloutPromoteCommand,
  rolloutAbortCommand,
  rolloutRetryCommand,
  rolloutPauseCommand,
  rolloutResumeCommand,
  rolloutRestartCommand,
  rolloutUndoCommand,
  rolloutSetImageCommand,
  rolloutListCommand,
  rolloutGetCommand,
  versionCommand,
  appGetCommand,
  appListCommand,
  appDiffCommand,
  appSyncCommand,
  appHistoryCommand,
  appRollbackCommand,
  appRefreshCommand,
  clusterAddCommand,
  clusterListCommand,
  clusterRmCommand,
  clusterShardsCommand,
  ...fluxGetCommands,
];

function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

function overview(prefix: readonly string[] = []): string {
  const matching = commands.filter((c) => prefix.every((w, i) => c.path[i] === w));
  const width = Math.max(...matching.map((c) => c.path.join(' ').length));
  return [
    'slipway: progressive delivery, GitOps sync and notifications for Kubernetes (Argo-compatible)',
    '',
    'commands:',
    ...matching.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'run "slipway COMMAND --help" for the options of a command.',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. Errors are printed as one clear line, never a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    const words = argv.filter((a) => !a.startsWith('-'));
    const isHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    const prefix = commands.some((c) => words.length > 0 && words.every((w, i) => c.path[i] === w))
      ? words
      : [];
    if (!isHelp && prefix.length === 0) {
      process.stderr.write(`slipway: unknown command "${argv.join(' ')}"\n\n${overview()}\n`);
      return ExitCode.Usage;
    }
    process.stdout.write(`${overview(prefix)}\n`);
    return isHelp || prefix.length > 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  const { command, rest } = found;
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help === true) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return ExitCode.Ok;
    }
    return await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`slipway ${command.path.join(' ')}: ${err.message}\n\n${commandHelp(command)}\n`);
      return ExitCode.Usage;
    }
    const code = err instanceof SlipwayError ? ` [${err.code}]` : '';
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`slipway ${command.path.join(' ')}: ${message}${code}\n`);
    return err instanceof SlipwayError && err.code === 'KUBE_NOT_FOUND'
      ? ExitCode.NotFound
      : ExitCode.Failure;
  }
}
