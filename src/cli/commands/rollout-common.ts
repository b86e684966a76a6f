import { type ParsedArgs, stringOption, UsageError } from '../command.js';

/** --namespace/-n for rollout commands. */
export const NAMESPACE_OPTION = {
  namespace: {
    type: 'string',
    short: 'n',
    description: "namespace of the Rollout (default: the kubeconfig context's namespace)",
  },
} as const;

export interface RolloutRef {
  readonly namespace: string;
  readonly name: string;
}

/** The --namespace value, else the kubeconfig context's namespace (as kubectl and its plugin do). */
export const namespaceOf = (args: ParsedArgs, client: { readonly defaultNamespace: string }): string =>
  stringOption(args, 'namespace') ?? client.defaultNamespace;

/** The Rollout name (checked before any client exists); see `namespaceOf` for the namespace. */
export function rolloutName(args: ParsedArgs): string {
  const [name] = args.positionals;
  if (name === undefined) throw new UsageError('missing the Rollout name');
  return name;
}

/** One or more Rollout names (abort, pause, retry and resume act on each in turn, like the plugin). */
export function rolloutNames(args: ParsedArgs): string[] {
  if (args.positionals.length === 0) throw new UsageError('missing the Rollout name');
  return [...args.positionals];
}

/**
 * Exactly the positionals `usage` names (e.g. ["NAME", "CONTAINER=IMAGE"]); more or fewer is a
 * usage error, as in the plugin.
 */
export function exactPositionals(args: ParsedArgs, usage: readonly string[]): readonly string[] {
  if (args.positionals.length !== usage.length)
    throw new UsageError(
      args.positionals.length < usage.length
        ? `missing ${usage.slice(args.positionals.length).join(' ')}`
        : `unexpected argument "${args.positionals[usage.length] ?? ''}"; expected ${usage.join(' ')}`,
    );
  return args.positionals;
}

/** Runs `action` for each Rollout in order, printing one line each; stops at the first failure. */
export async function forEachRollout(
  refs: readonly RolloutRef[],
  action: (ref: RolloutRef) => Promise<unknown>,
  done: string,
): Promise<void> {
  for (const ref of refs) {
    await action(ref);
    process.stdout.write(`rollout '${ref.name}' ${done}\n`);
  }
}
