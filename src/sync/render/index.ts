export { globToRegExp, matchesGlob } from './glob.js';
export { parseKustomizeImage } from './kustomize-overlay.js';
export { parseManifests } from './parse-manifests.js';
export {
  detectSourceType,
  type RenderedManifests,
  type RenderRequest,
  renderSource,
  type SourceType,
} from './render.js';
export { ensureRenderTools, type RenderTools, RenderToolVersions, renderToolPaths } from './tools.js';
