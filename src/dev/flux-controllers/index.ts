export {
  ensureFluxControllerBinaries,
  type FluxControllerBinaries,
  type FluxControllerBinariesOptions,
  fluxControllerBinaryPaths,
} from './binaries.js';
