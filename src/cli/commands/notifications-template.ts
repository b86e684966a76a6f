import { randomUUID } from 'node:crypto';
import { createService, TemplateRenderer, templateData } from '../../notifications/index.js';
import { type Command, ExitCode, stringOption, UsageError } from '../command.js';
import { cliEnvironment } from '../environment.js';
import { loadNotificationSource, notificationSourceOptions } from './notifications-config.js';

/** `slipway notifications template notify NAME --object FILE --recipient slack:chan|console:`. */
export const notificationsTemplateNotifyCommand: Command = {
  path: ['notifications', 'template', 'notify'],
  summary: 'Render a notification template for an object and send it (or print it with console:)',
  usage: 'NAME --object FILE --recipient SERVICE:RECIPIENT [--config FILE --secret FILE]',
  options: {
    ...notificationSourceOptions,
    recipient: {
      type: 'string',
      description: 'service:recipient, e.g. slack:deploys, or console: to print',
      default: 'console:',
    },
  },
  async run(args) {
    const name = args.positionals[0];
    if (name === undefined) throw new UsageError('the template NAME is required');
    const recipientArg = stringOption(args, 'recipient') ?? 'console:';
    const colon = recipientArg.indexOf(':');
    if (colon < 0) throw new UsageError('--recipient must be SERVICE:RECIPIENT (or console:)');
    const serviceName = recipientArg.slice(0, colon);
    const recipient = recipientArg.slice(colon + 1);
    const source = await loadNotificationSource(args);
    const { config } = source.parsed;
    const service = serviceName === 'console' ? undefined : config.services[serviceName];
    if (serviceName !== 'console' && service === undefined)
      throw new UsageError(`service '${serviceName}' is not configured`);
    const now = new Date();
    const vars = {
      kind: source.kind,
      object: source.object,
      context: config.context,
      secrets: source.secrets,
      now: () => now,
    };
    const data = templateData(vars, { serviceType: service?.type ?? 'console', recipient });
    const rendered = new TemplateRenderer().render([name], config.templates, data, now);
    if (!rendered.ok) {
      process.stderr.write(`template '${rendered.template}': ${rendered.error}\n`);
      return ExitCode.Failure;
    }
    if (service === undefined) {
      process.stdout.write(`${JSON.stringify(rendered.notification, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const outcome = await createService(
      service,
      cliEnvironment().slackApiUrl ? { slackApiUrl: cliEnvironment().slackApiUrl } : {},
    ).send({
      id: randomUUID(),
      recipient,
      notification: rendered.notification,
    });
    if (outcome.kind === 'sent') {
      process.stdout.write(`sent to ${serviceName}:${recipient}\n`);
      return ExitCode.Ok;
    }
    process.stderr.write(`not sent (${outcome.kind}): ${outcome.reason}\n`);
    return ExitCode.Failure;
  },
};
