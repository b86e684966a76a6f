export { type ProbeServer, type ProbeServerOptions, startProbeServer } from './http-server.js';
export {
  createLogger,
  type Logger,
  type LoggerFactoryOptions,
  REDACT_PATHS,
  silentLogger,
} from './logger.js';
export { Metrics } from './metrics.js';
