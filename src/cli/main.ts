import { SlipwayError } from '../errors/index.js';
import { type Command, commandHelp, ExitCode, parseCommandArgs, UsageError } from './command.js';

/**
 * A command known by its words; its code, and every dependency it has, loads only when it runs (or
 * when a listing needs its summary). `slipway controller --controllers rollouts` then loads the
 * Rollout controller and not the sync engine, the dashboard or the dev tooling.
 */
export interface CommandEntry {
  readonly path: readonly string[];
  load(): Promise<Command>;
}

/** The file that exports the command with these words. */
type CommandFile = () => Promise<object>;

const entry = (words: string, file: CommandFile): CommandEntry => {
  const path = words.split(' ');
  return { path, load: async () => commandIn(await file(), path) };
};

const isCommand = (value: unknown): value is Command =>
  typeof value === 'object' && value !== null && Array.isArray((value as Command).path);

/** The exported command (or member of an exported list of commands) with exactly these words. */
function commandIn(exports: object, path: readonly string[]): Command {
  const found = Object.values(exports)
    .flatMap((v: unknown) => (Array.isArray(v) ? (v as unknown[]) : [v]))
    .find((v): v is Command => isCommand(v) && v.path.join(' ') === path.join(' '));
  if (found === undefined) throw new Error(`no command "${path.join(' ')}" in its file`);
  return found;
}

const analysisRun: CommandFile = () => import('./commands/analysis-run.js');
const controller: CommandFile = () => import('./commands/controller.js');
const dashboard: CommandFile = () => import('./commands/dashboard.js');
const install: CommandFile = () => import('./commands/install.js');
const lint: CommandFile = () => import('./commands/lint.js');
const devCluster: CommandFile = () => import('./commands/dev-cluster.js');
const devServices: CommandFile = () => import('./commands/dev-services.js');
const notificationsTemplate: CommandFile = () => import('./commands/notifications-template.js');
const notificationsTrigger: CommandFile = () => import('./commands/notifications-trigger.js');
const rolloutPromote: CommandFile = () => import('./commands/rollout-promote.js');
const rolloutSimple: CommandFile = () => import('./commands/rollout-simple.js');
const rolloutUndo: CommandFile = () => import('./commands/rollout-undo.js');
const rolloutSetImage: CommandFile = () => import('./commands/rollout-set-image.js');
const rolloutGet: CommandFile = () => import('./commands/rollout-get.js');
const version: CommandFile = () => import('./commands/version.js');
const appGet: CommandFile = () => import('./commands/app-get.js');
const appList: CommandFile = () => import('./commands/app-list.js');
const appDiff: CommandFile = () => import('./commands/app-diff.js');
const appSync: CommandFile = () => import('./commands/app-sync.js');
const appHistory: CommandFile = () => import('./commands/app-history.js');
const appRollback: CommandFile = () => import('./commands/app-rollback.js');
const appRefresh: CommandFile = () => import('./commands/app-refresh.js');
const clusterAdd: CommandFile = () => import('./commands/cluster-add.js');
const clusterList: CommandFile = () => import('./commands/cluster-list.js');
const clusterRm: CommandFile = () => import('./commands/cluster-rm.js');
const clusterShards: CommandFile = () => import('./commands/cluster-shards.js');
const fluxGet: CommandFile = () => import('./commands/flux-get.js');

/** Every command, in the order `slipway --help` lists them. */
export const commands: readonly CommandEntry[] = [
  entry('analysis run', analysisRun),
  entry('controller', controller),
  entry('dashboard', dashboard),
  entry('install', install),
  entry('lint', lint),
  entry('dev cluster up', devCluster),
  entry('dev cluster down', devCluster),
  entry('dev cluster kubeconfig', devCluster),
  entry('dev cluster status', devCluster),
  entry('dev slack', devServices),
  entry('dev prometheus', devServices),
  entry('notifications template notify', notificationsTemplate),
  entry('notifications trigger run', notificationsTrigger),
  entry('rollout promote', rolloutPromote),
  entry('rollout abort', rolloutSimple),
  entry('rollout retry', rolloutSimple),
  entry('rollout pause', rolloutSimple),
  entry('rollout resume', rolloutSimple),
  entry('rollout restart', rolloutSimple),
  entry('rollout undo', rolloutUndo),
  entry('rollout set-image', rolloutSetImage),
  entry('rollout list', rolloutGet),
  entry('rollout get', rolloutGet),
  entry('version', version),
  entry('app get', appGet),
  entry('app list', appList),
  entry('app diff', appDiff),
  entry('app sync', appSync),
  entry('app history', appHistory),
  entry('app rollback', appRollback),
  entry('app refresh', appRefresh),
  entry('cluster add', clusterAdd),
  entry('cluster list', clusterList),
  entry('cluster rm', clusterRm),
  entry('cluster shards', clusterShards),
  entry('flux get kustomizations', fluxGet),
  entry('flux get helmreleases', fluxGet),
  entry('flux get sources git', fluxGet),
  entry('flux get sources helm', fluxGet),
  entry('flux get sources chart', fluxGet),
  entry('flux get sources oci', fluxGet),
  entry('flux get sources all', fluxGet),
  entry('flux get images repository', fluxGet),
  entry('flux get images policy', fluxGet),
  entry('flux get images update', fluxGet),
  entry('flux get images all', fluxGet),
  entry('flux get all', fluxGet),
];

function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let best: CommandEntry | undefined;
  for (const c of commands) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { entry: best, rest: argv.slice(best.path.length) } : undefined;
}

async function overview(prefix: readonly string[] = []): Promise<string> {
  const matching = await Promise.all(
    commands.filter((c) => prefix.every((w, i) => c.path[i] === w)).map((c) => c.load()),
  );
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
      process.stderr.write(`slipway: unknown command "${argv.join(' ')}"\n\n${await overview()}\n`);
      return ExitCode.Usage;
    }
    process.stdout.write(`${await overview(prefix)}\n`);
    return isHelp || prefix.length > 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  const command = await found.entry.load();
  const { rest } = found;
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
