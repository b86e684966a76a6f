import type { GitRepositoryRef } from '../types.js';
import { ImageAutomationReason } from './automation-status.js';
import type { ImageUpdateAutomation } from './types.js';

/** Where and how one automation clones, commits and pushes. */
export interface SourceConfig {
  /** The GitRepository's key (`namespace/name`). */
  readonly sourceKey: string;
  readonly checkoutRef: GitRepositoryRef | undefined;
  readonly pushBranch: string;
  /** The push branch is not the checkout branch (Flux's SwitchBranch). */
  readonly switchBranch: boolean;
  readonly refspec: string | undefined;
}

/** A configuration the user must fix (Flux stalls on these) or, for `failed`, one that may heal. */
export interface SourceConfigProblem {
  readonly kind: 'stalled' | 'failed';
  readonly reason: ImageAutomationReason;
  readonly message: string;
}

const INVALID = 'invalid source configuration';

/** go-git's default branch, used when neither the automation nor the GitRepository names a ref. */
const DEFAULT_BRANCH = 'master';

/**
 * The automation's Git configuration, checked as image-automation-controller's source manager
 * checks it (`NewSourceManager`, `configurePush`) with its messages. `gitRepositoryRef` is the
 * referenced GitRepository's `spec.ref` (undefined when it has none), `null` when it does not exist.
 * Pure.
 */
export function sourceConfig(
  obj: ImageUpdateAutomation,
  gitRepositoryRef: GitRepositoryRef | undefined | null,
): SourceConfig | SourceConfigProblem {
  const ref = obj.spec.sourceRef;
  const stalled = (message: string): SourceConfigProblem => ({
    kind: 'stalled',
    reason: ImageAutomationReason.InvalidSourceConfiguration,
    message,
  });
  if (ref.kind !== 'GitRepository') return stalled(`source kind '${ref.kind}' not supported: ${INVALID}`);
  const gitSpec = obj.spec.git;
  if (!gitSpec) return stalled(`source kind 'GitRepository' necessitates field .spec.git: ${INVALID}`);
  const namespace = ref.namespace || obj.metadata.namespace || '';
  if (gitRepositoryRef === null)
    return {
      kind: 'failed',
      reason: ImageAutomationReason.SourceManagerFailed,
      message: `failed configuring source manager: referenced git repository does not exist: gitrepositories.source.toolkit.fluxcd.io "${ref.name}" not found`,
    };
  if (gitSpec.commit.signingKey)
    return stalled(
      `signing commits (.spec.git.commit.signingKey) is not supported by Slipway; remove it to push unsigned commits: ${INVALID}`,
    );
  const refspec = gitSpec.push?.refspec || undefined;
  if (refspec?.startsWith(':')) return stalled(`push refspec must not specify a deletion: ${INVALID}`);
  if (refspec?.startsWith('+')) return stalled(`push refspec must not specify a force update: ${INVALID}`);
  const checkoutRef = gitSpec.checkout?.ref ?? gitRepositoryRef;
  const checkoutBranch = checkoutRef ? checkoutRef.branch || undefined : DEFAULT_BRANCH;
  const pushBranch = gitSpec.push?.branch || checkoutBranch;
  if (!pushBranch)
    return {
      kind: 'failed',
      reason: ImageAutomationReason.SourceManagerFailed,
      message:
        'failed configuring source manager: push spec not provided, and cannot be inferred from .spec.git.checkout.ref or GitRepository .spec.ref',
    };
  return {
    sourceKey: `${namespace}/${ref.name}`,
    checkoutRef: checkoutRef ?? { branch: DEFAULT_BRANCH },
    pushBranch,
    switchBranch: pushBranch !== checkoutBranch,
    refspec,
  };
}

/** Flux's update strategy check (`ApplyPolicies`): only `Setters`. */
export function updateStrategyProblem(obj: ImageUpdateAutomation): SourceConfigProblem | undefined {
  const update = obj.spec.update;
  if (!update)
    return {
      kind: 'stalled',
      reason: ImageAutomationReason.InvalidUpdateStrategy,
      message: 'no update strategy',
    };
  const strategy = update.strategy ?? 'Setters';
  if (strategy !== 'Setters')
    return {
      kind: 'stalled',
      reason: ImageAutomationReason.InvalidUpdateStrategy,
      message: `unsupported update strategy: ${strategy}`,
    };
  return undefined;
}
