import type { KubeClient } from '../../kube/index.js';
import { KubeError, KubeErrorCode } from '../../kube/index.js';
import {
  booleanOption,
  type Command,
  ExitCode,
  type OptionSpec,
  type ParsedArgs,
  parseCommandArgs,
  stringOption,
  UsageError,
} from '../command.js';
import { cliEnvironment } from '../environment.js';
import {
  allKinds,
  type FluxGetKind,
  type FluxGetKindName,
  type FluxListObject,
  fluxGetKinds,
  fluxHeaders,
  fluxRow,
  formatFluxTable,
  formatLocalRfc3339,
  imageKinds,
  matchesStatusSelector,
  parseStatusSelector,
  type StatusSelector,
  sourceKinds,
} from '../flux-view/index.js';
import { clientFromArgs } from '../kube-options.js';

/**
 * `slipway flux get …`: what the flux CLI v2.9.5 prints for the same objects (columns, text, errors on
 * stderr as `✗ …`, exit code 1 for a single kind's error, 0 for the `all` commands), read from status only.
 */

const GET_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  namespace: {
    type: 'string',
    short: 'n',
    description: 'namespace (default: $FLUX_SYSTEM_NAMESPACE, else flux-system)',
  },
  'all-namespaces': {
    type: 'boolean',
    short: 'A',
    description: 'list the requested object(s) across all namespaces',
  },
  'status-selector': {
    type: 'string',
    description: 'a condition and the state to keep, e.g. ready=false or ready!=true',
  },
  'label-selector': { type: 'string', short: 'l', description: 'filter objects by label selector' },
  'no-header': { type: 'boolean', description: 'skip the header when printing the results' },
};

const SHOW_SOURCE: Readonly<Record<string, OptionSpec>> = {
  'show-source': { type: 'boolean', description: 'show the source reference of each object' },
};

interface GetQuery {
  /** Undefined with `-A`. */
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly labelSelector: string | undefined;
  readonly selector: StatusSelector | undefined;
  readonly noHeader: boolean;
  readonly showSource: boolean;
}

function queryFromArgs(args: ParsedArgs): GetQuery {
  const text = stringOption(args, 'status-selector');
  let selector: StatusSelector | undefined;
  if (text !== undefined && text !== '') {
    const parsed = parseStatusSelector(text);
    if ('error' in parsed) throw new UsageError(parsed.error);
    selector = parsed;
  }
  if (args.positionals.length > 1) throw new UsageError('at most one NAME');
  const all = booleanOption(args, 'all-namespaces');
  const label = stringOption(args, 'label-selector');
  return {
    namespace: all
      ? undefined
      : (stringOption(args, 'namespace') ?? cliEnvironment().fluxSystemNamespace ?? 'flux-system'),
    name: args.positionals[0],
    labelSelector: label === '' ? undefined : label,
    selector,
    noHeader: booleanOption(args, 'no-header'),
    showSource: booleanOption(args, 'show-source'),
  };
}

const localOffsetMinutes = (ms: number): number => -new Date(ms).getTimezoneOffset();

const where = (q: GetQuery): string => (q.namespace === undefined ? 'any' : JSON.stringify(q.namespace));

/**
 * Prints one kind's table; returns the error text `flux get` would print, if any. In an `all` command
 * (`withKind`) a kind without objects (or whose CRD is missing) prints nothing.
 */
async function printKind(
  io: FluxGetOutput,
  client: KubeClient,
  kind: FluxGetKind,
  q: GetQuery,
  withKind: boolean,
): Promise<string | undefined> {
  let items: FluxListObject[];
  try {
    ({ items } = await client.listAll<FluxListObject>(kind.gvk, {
      ...(q.namespace !== undefined && { namespace: q.namespace }),
      ...(q.name !== undefined && { fieldSelector: `metadata.name=${q.name}` }),
      ...(q.labelSelector !== undefined && { labelSelector: q.labelSelector }),
    }));
  } catch (err) {
    if (withKind && err instanceof KubeError && err.code === KubeErrorCode.UnknownKind) return undefined;
    throw err;
  }
  if (items.length === 0) {
    if (q.name !== undefined) return `${kind.gvk.kind} object '${q.name}' not found in ${where(q)} namespace`;
    return withKind ? undefined : `no ${kind.gvk.kind} objects found in ${where(q)} namespace`;
  }
  const allNamespaces = q.namespace === undefined;
  const options = {
    allNamespaces,
    withKind,
    showSource: q.showSource,
    formatTime: (iso: string | undefined) => formatLocalRfc3339(iso, localOffsetMinutes),
  };
  const rows = items
    .filter((o) => q.selector === undefined || matchesStatusSelector(o, q.selector))
    .map((o) => fluxRow(kind, o, options));
  if (withKind && rows.length === 0) return undefined;
  const header = q.noHeader ? undefined : fluxHeaders(kind, { allNamespaces, showSource: q.showSource });
  io.stdout(formatFluxTable(header, rows));
  if (withKind) io.stdout('\n');
  return undefined;
}

/** Where a `flux get` command writes (the process's streams, or a test's buffers). */
export interface FluxGetOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: FluxGetOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const fail = (io: FluxGetOutput, message: string): void => io.stderr(`✗ ${message}\n`);

interface FluxGetCommand extends Command {
  runWith(args: ParsedArgs, io: FluxGetOutput): Promise<number>;
}

function singleKindCommand(name: FluxGetKindName, summary: string): FluxGetCommand {
  const kind: FluxGetKind = fluxGetKinds[name];
  return {
    path: ['flux', 'get', ...kind.words],
    summary,
    usage: '[NAME]',
    options: { ...GET_OPTIONS, ...(kind.hasSource === true ? SHOW_SOURCE : {}) },
    run(args) {
      return this.runWith(args, processOutput);
    },
    async runWith(args, io) {
      const q = queryFromArgs(args);
      const client = clientFromArgs(args);
      try {
        const error = await printKind(io, client, kind, q, false);
        if (error === undefined) return ExitCode.Ok;
        fail(io, error);
        return ExitCode.Failure;
      } finally {
        client.close();
      }
    },
  };
}

function allCommand(
  words: readonly string[],
  kinds: readonly FluxGetKindName[],
  summary: string,
): FluxGetCommand {
  return {
    path: ['flux', 'get', ...words],
    summary,
    usage: '[NAME]',
    options: GET_OPTIONS,
    run(args) {
      return this.runWith(args, processOutput);
    },
    async runWith(args, io) {
      const q = queryFromArgs(args);
      const client = clientFromArgs(args);
      try {
        for (const name of kinds) {
          // as `flux get … all`: each kind's error is printed and the others still listed
          try {
            const error = await printKind(io, client, fluxGetKinds[name], q, true);
            if (error !== undefined) fail(io, error);
          } catch (err) {
            fail(io, err instanceof Error ? err.message : String(err));
          }
        }
        return ExitCode.Ok;
      } finally {
        client.close();
      }
    },
  };
}

export const fluxGetCommands: readonly FluxGetCommand[] = [
  singleKindCommand(
    'Kustomization',
    'Flux Kustomizations: revision, suspended, ready, message (as `flux get`)',
  ),
  singleKindCommand('HelmRelease', 'Flux HelmReleases: chart version, suspended, ready, message'),
  singleKindCommand('GitRepository', 'Flux GitRepository sources and their artifacts'),
  singleKindCommand('HelmRepository', 'Flux HelmRepository sources and their artifacts'),
  singleKindCommand('HelmChart', 'Flux HelmChart sources and their artifacts'),
  singleKindCommand('OCIRepository', 'Flux OCIRepository sources and their artifacts'),
  allCommand(['sources', 'all'], sourceKinds, 'Every Flux source kind, one table each'),
  singleKindCommand('ImageRepository', 'Flux ImageRepositories: last scan, suspended, ready, message'),
  singleKindCommand('ImagePolicy', 'Flux ImagePolicies: latest image and tag, ready, message'),
  singleKindCommand(
    'ImageUpdateAutomation',
    'Flux ImageUpdateAutomations: last run, suspended, ready, message',
  ),
  allCommand(['images', 'all'], imageKinds, 'Every Flux image automation kind, one table each'),
  allCommand(
    ['all'],
    allKinds,
    'Every Flux kind Slipway serves: sources, images, HelmReleases, Kustomizations',
  ),
];

/**
 * Runs `slipway flux get WORDS… ARGS…` into buffers instead of the process's streams (tests compare it with
 * the flux CLI's output). Usage errors throw.
 */
export async function runFluxGet(
  argv: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = fluxGetCommands
    .filter((c) => c.path.slice(2).every((w, i) => argv[i] === w))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (command === undefined) throw new UsageError(`unknown command "flux get ${argv.join(' ')}"`);
  let stdout = '';
  let stderr = '';
  const code = await command.runWith(parseCommandArgs(command, argv.slice(command.path.length - 2)), {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}
