import { type ParsedArgs, stringOption, UsageError } from '../command.js';

/** --namespace/-n for rollout commands. */
export const NAMESPACE_OPTION = {
  namespace: { type: 'string', short: 'n', description: 'namespace of the Rollout', default: 'default' },
} as const;

export function rolloutRef(args: ParsedArgs): { readonly namespace: string; readonly name: string } {
  const [name] = args.positionals;
  if (name === undefined) throw new UsageError('missing the Rollout name');
  return { namespace: stringOption(args, 'namespace') ?? 'default', name };
}
