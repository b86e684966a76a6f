import { TriggerEvaluator, triggerEnv } from '../../notifications/index.js';
import { type Command, ExitCode, UsageError } from '../command.js';
import { loadNotificationSource, notificationSourceOptions } from './notifications-config.js';

/** `slipway notifications trigger run NAME --object FILE`: prints each condition's result. */
export const notificationsTriggerRunCommand: Command = {
  path: ['notifications', 'trigger', 'run'],
  summary: "Evaluate a notification trigger against an object and print each condition's result",
  usage: 'NAME --object FILE [--config FILE --secret FILE]',
  options: notificationSourceOptions,
  async run(args) {
    const name = args.positionals[0];
    if (name === undefined) throw new UsageError('the trigger NAME is required');
    const source = await loadNotificationSource(args);
    const conditions = source.parsed.config.triggers[name];
    if (conditions === undefined) {
      process.stderr.write(`trigger '${name}' is not defined (or its key is broken)\n`);
      return ExitCode.NotFound;
    }
    const now = new Date();
    const env = triggerEnv({
      kind: source.kind,
      object: source.object,
      context: source.parsed.config.context,
      secrets: source.secrets,
      now: () => now,
    });
    for (const r of new TriggerEvaluator().evaluate(conditions, env, now)) {
      const result = r.outcome === 'error' ? `error: ${r.error}` : r.outcome;
      const oncePer = r.oncePer !== undefined ? ` (oncePer ${r.oncePer})` : '';
      process.stdout.write(
        `[${r.index}] ${r.when === '' ? '(always)' : r.when}  →  ${result}${oncePer}  send: ${r.templates.join(', ')}\n`,
      );
    }
    return ExitCode.Ok;
  },
};
