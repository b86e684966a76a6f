export {
  ensureFluxCrds,
  FLUX_CRD_NAMES,
  type FluxCrdOptions,
  FluxCrdVersions,
  fluxCrdPaths,
  installFluxCrds,
  loadFluxCrds,
} from './flux-crds.js';
export { OLDER_FLUX_VERSIONS, withOlderVersions } from './older-versions.js';
