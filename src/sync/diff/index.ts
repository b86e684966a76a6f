export { compareResource, type ResourceDiff } from './compare.js';
export { applyIgnoreDifferences, ignoredPaths, matchingRules } from './ignore-differences.js';
export { evaluateJqPath, JqPathError, type PathKey, parseJqPath } from './jq-path.js';
export { parsePointer, removeAtPointer, removePath } from './json-pointer.js';
export { ownedPaths } from './managed-fields.js';
export { jsonEqual, normalizeForDiff } from './normalize.js';
export { foldStringData, hideSecretData } from './secret-data.js';
export { unifiedDiff } from './unified-diff.js';
