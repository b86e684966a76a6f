// `slipway lint`: offline checks of manifests, the way the controllers check them.
export type { LintContext, ObjectFinding } from './checks.js';
export { formatLintProblem, type LintDocument, type LintProblem, parseLintDocuments } from './documents.js';
export { type LintOptions, lintDocuments } from './lint.js';
