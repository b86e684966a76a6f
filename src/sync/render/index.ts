export { globToRegExp, matchesGlob } from './glob.js';
export { checkKustomizeInputs, isRemoteReference } from './kustomize-inputs.js';
export { parseKustomizeImage } from './kustomize-overlay.js';
export { parseManifests } from './parse-manifests.js';
export { decodeDoubleQuoted } from './quoted-scalar.js';
export {
  detectSourceType,
  type RenderedManifests,
  type RenderRequest,
  renderSource,
  type SourceType,
} from './render.js';
export {
  DefaultRenderLimits,
  RenderLimitEnv,
  type RenderLimits,
  type RenderLimitsFromEnv,
  renderLimitsFromEnv,
  renderTooLargeError,
} from './render-limits.js';
export {
  findOutOfBoundsSymlink,
  type RepoPathResolution,
  resolveInRepo,
  SymlinkAudit,
} from './repo-bounds.js';
export { ensureRenderTools, type RenderTools, RenderToolVersions, renderToolPaths } from './tools.js';
