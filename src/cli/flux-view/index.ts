export {
  allKinds,
  type FluxGetKind,
  type FluxGetKindName,
  type FluxListObject,
  type FluxRowOptions,
  fluxGetKinds,
  fluxHeaders,
  fluxRow,
  imageKinds,
  readyStatus,
  sourceKinds,
  truncateHex,
} from './flux-kinds.js';
export { formatFluxTable } from './flux-table.js';
export { formatLocalRfc3339 } from './local-time.js';
export { matchesStatusSelector, parseStatusSelector, type StatusSelector } from './status-selector.js';
