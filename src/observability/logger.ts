import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

export interface LoggerFactoryOptions {
  /** trace | debug | info | warn | error | fatal | silent. Default info (the CLI passes `--log-level`, whose default is $SLIPWAY_LOG_LEVEL). */
  readonly level?: string;
  /** json (default) or pretty (human-readable single lines, for terminals). */
  readonly format?: 'json' | 'pretty';
  /** Where to write. Default stdout. */
  readonly destination?: NodeJS.WritableStream;
}

/** Paths whose values are never logged: tokens, auth headers and Secret data. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'secret',
  '*.secret',
  'data',
  'stringData',
  'object.data',
  'object.stringData',
] as const;

/** The process-wide root logger; controllers and reconciles use child loggers of it. */
export function createLogger(options: LoggerFactoryOptions = {}): Logger {
  const level = options.level ?? 'info';
  const config: LoggerOptions = {
    level,
    base: { app: 'slipway' },
    redact: { paths: [...REDACT_PATHS], censor: '*****' },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.format === 'pretty') {
    return pino(config, prettyStream(options.destination ?? process.stdout));
  }
  return options.destination ? pino(config, options.destination as pino.DestinationStream) : pino(config);
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** One readable line per record: time, level, message, then key=value fields. */
function prettyStream(out: NodeJS.WritableStream): pino.DestinationStream {
  return {
    write(line: string) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const { time, level, msg, app: _app, pid: _pid, hostname: _h, err, ...rest } = rec;
      const fields = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const errText =
        err && typeof err === 'object' ? ` err=${(err as { message?: string }).message ?? ''}` : '';
      const t = typeof time === 'string' ? time.slice(11, 23) : '';
      out.write(
        `${t} ${(LEVELS[level as number] ?? 'INFO').padEnd(5)} ${String(msg ?? '')} ${fields}${errText}\n`,
      );
    },
  };
}
