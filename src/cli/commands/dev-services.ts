import { PrometheusServer } from '../../dev/prometheus/index.js';
import { startSlackServer } from '../../dev/slack-server/index.js';
import { type Command, ExitCode, stringOption, UsageError } from '../command.js';
import { cliEnvironment } from '../environment.js';
import { progress } from '../output.js';

/** Resolves when the process gets SIGINT or SIGTERM. */
const interrupted = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

function portOption(value: string | undefined): number {
  const port = Number(value ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port '${value}'`);
  return port;
}

export const devSlackCommand: Command = {
  path: ['dev', 'slack'],
  summary: 'Run the local Slack-compatible Web API server (messages printed as they arrive) until Ctrl-C',
  options: {
    port: { type: 'string', description: 'port on 127.0.0.1 (0: a free one)', default: '0' },
    token: { type: 'string', description: 'bot token that authenticates', default: 'xoxb-dev-token' },
  },
  async run(args) {
    const slack = await startSlackServer({
      port: portOption(stringOption(args, 'port')),
      tokens: [stringOption(args, 'token') ?? 'xoxb-dev-token'],
      console: (line) => process.stdout.write(`${line}\n`),
    });
    progress(`slack API at ${slack.apiUrl} (set apiURL of service.slack to it); Ctrl-C stops it`);
    await interrupted();
    await slack.stop();
    return ExitCode.Ok;
  },
};

export const devPrometheusCommand: Command = {
  path: ['dev', 'prometheus'],
  summary:
    'Run a local Prometheus scraping the given targets until Ctrl-C (built once when none is installed)',
  usage: 'slipway dev prometheus [--scrape-interval 1s] HOST:PORT...',
  options: {
    'scrape-interval': { type: 'string', description: 'scrape and evaluation interval', default: '1s' },
  },
  async run(args) {
    const prometheus = await PrometheusServer.launch({
      targets: args.positionals,
      scrapeInterval: stringOption(args, 'scrape-interval') ?? '1s',
      binary: cliEnvironment().prometheusBin,
      onProgress: (m) => progress(`  ${m}`),
    });
    progress(
      `prometheus at ${prometheus.url} scraping ${args.positionals.join(', ') || 'nothing'}; Ctrl-C stops it`,
    );
    process.stdout.write(`${prometheus.url}\n`);
    await interrupted();
    await prometheus.dispose();
    return ExitCode.Ok;
  },
};
