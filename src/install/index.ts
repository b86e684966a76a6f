export {
  applyAll,
  CRD_DIR,
  DEPLOY_DIR,
  INSTALL_FIELD_MANAGER,
  type InstallOptions,
  installCrds,
  waitForCrdsEstablished,
} from './crds.js';
export { sortForInstall } from './install-order.js';
export { parseManifests, readManifestDir } from './manifests.js';
