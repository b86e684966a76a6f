export {
  CONTENT_DIGEST_ANNOTATION,
  type InstallTrafficCrdsOptions,
  installTrafficCrds,
} from './install-traffic-crds.js';
export { smiCrdToV1 } from './smi-crd.js';
export {
  ensureTrafficCrds,
  type GatewayApiChannel,
  loadTrafficCrds,
  type TrafficCrdOptions,
  TrafficCrdVersions,
  trafficCrdPaths,
} from './traffic-crds.js';
