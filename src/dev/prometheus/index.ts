export {
  builtPrometheusPath,
  ensurePrometheusBinary,
  PROMETHEUS_VERSION,
  type PrometheusBinaryOptions,
  SYSTEM_PROMETHEUS,
} from './binary.js';
export { type PrometheusOptions, PrometheusServer } from './prometheus-server.js';
