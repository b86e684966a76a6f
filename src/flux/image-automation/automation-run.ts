import type { Logger } from '../../observability/index.js';
import type { RepoCache } from '../../sync/index.js';
import type { GitRepositoryCredentials } from '../credentials.js';
import { fluxRevision, resolveGitRef } from '../git-ref.js';
import { durationMs } from '../intervals.js';
import type { GitRepository, GitRepositoryRef } from '../types.js';
import { AutomationClone, type CheckoutPoint } from './automation-git.js';
import { ImageAutomationReason, pushSummary } from './automation-status.js';
import type { ManifestReadLimits } from './manifest-files.js';
import type { PolicyLatest } from './setter-values.js';
import type { SourceConfig } from './source-config.js';
import type { ImageUpdateAutomation } from './types.js';
import { findUnrecordedPush } from './unrecorded-push.js';
import { commitAuthorOf, updateWorkTree } from './work-tree-update.js';

/** One automation run's inputs. */
export interface AutomationRun {
  readonly automation: ImageUpdateAutomation;
  readonly source: GitRepository;
  readonly config: SourceConfig;
  readonly policies: readonly PolicyLatest[];
  /** Something other than the checkout commit changed (policies, spec, a push to another branch). */
  readonly syncNeeded: boolean;
  readonly now: Date;
}

export interface AutomationRunDeps {
  readonly git: RepoCache;
  readonly credentials: GitRepositoryCredentials;
  readonly scratchDir: string;
  readonly logger: Logger;
  readonly readLimits?: ManifestReadLimits;
}

export type AutomationRunResult =
  | { readonly kind: 'unchanged'; readonly sourceRevision: string }
  | {
      readonly kind: 'pushed';
      readonly commit: string;
      readonly sourceRevision: string;
      readonly summary: string;
      /** When an earlier run pushed `commit` without recording it: the commit's time. */
      readonly pushedAt?: Date;
    }
  | { readonly kind: 'stalled' | 'failed'; readonly reason: ImageAutomationReason; readonly message: string };

/** Clones again after a rejected push this many times in one run before reporting the failure. */
const PUSH_ATTEMPTS = 3;

const text = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The remote ref that holds a resolved checkout (fetched by name, never by bare SHA). */
function remoteRefOf(ref: GitRepositoryRef, revision: string): string | undefined {
  if (ref.commit) return ref.branch ? `refs/heads/${ref.branch}` : undefined;
  if (ref.name) return ref.name;
  if (ref.semver) return `refs/tags/${revision.slice(0, revision.lastIndexOf('@'))}`;
  if (ref.tag) return `refs/tags/${ref.tag}`;
  return `refs/heads/${ref.branch || 'master'}`;
}

/**
 * Runs one automation against its repository: resolve the checkout ref, skip the clone when nothing
 * moved since the last run, clone, apply the setters under `update.path`, commit and push. A push
 * the remote rejects as non-fast-forward starts over from a fresh clone (up to 3 times).
 */
export async function runAutomation(
  run: AutomationRun,
  deps: AutomationRunDeps,
): Promise<AutomationRunResult> {
  const { automation: obj, source, config } = run;
  const url = source.spec.url;
  const timeoutMs = durationMs(source.spec.timeout, 60_000);
  deps.credentials.register(url, source.metadata.namespace ?? '', source.spec.secretRef?.name);
  const failed = (reason: ImageAutomationReason, message: string): AutomationRunResult => ({
    kind: 'failed',
    reason,
    message,
  });
  for (let attempt = 1; ; attempt++) {
    let start: CheckoutPoint & { revision: string };
    let pushFrom: CheckoutPoint | undefined;
    let credentials: Awaited<ReturnType<GitRepositoryCredentials['credentialsFor']>>;
    try {
      const refs = await deps.git.refs(url, 0);
      const r = resolveGitRef(refs, config.checkoutRef);
      if (r.kind === 'error')
        return failed(ImageAutomationReason.GitOperationFailed, `failed to checkout source: ${r.message}`);
      const remoteRef = remoteRefOf(config.checkoutRef ?? {}, r.revision);
      start = { sha: r.sha, revision: r.revision, ...(remoteRef && { remoteRef }) };
      const pushSha = config.switchBranch ? refs.get(`refs/heads/${config.pushBranch}`) : undefined;
      if (pushSha) pushFrom = { sha: pushSha, remoteRef: `refs/heads/${config.pushBranch}` };
      credentials = await deps.credentials.credentialsFor(url);
    } catch (err) {
      return failed(ImageAutomationReason.GitOperationFailed, `failed to checkout source: ${text(err)}`);
    }
    if (!run.syncNeeded && obj.status?.observedSourceRevision === start.revision)
      return { kind: 'unchanged', sourceRevision: start.revision };

    let clone: AutomationClone;
    try {
      clone = await AutomationClone.open(
        { url, timeoutMs, scratchDir: deps.scratchDir, ...(credentials && { credentials }) },
        start,
        config.pushBranch,
        pushFrom,
      );
    } catch (err) {
      return failed(ImageAutomationReason.GitOperationFailed, `failed to checkout source: ${text(err)}`);
    }
    try {
      const update = await updateWorkTree(clone.dir, obj, run.policies, deps);
      if (update.kind === 'stalled' || update.kind === 'failed') return update;
      if (update.kind === 'unchanged') {
        // up to date: perhaps through our own push whose status write was lost (a restart)
        const unrecorded = await findUnrecordedPush(clone, obj, run.policies, deps);
        if (unrecorded === undefined) return { kind: 'unchanged', sourceRevision: start.revision };
        deps.logger.info({ commit: unrecorded.sha }, 'found an unrecorded push of this automation');
        return {
          kind: 'pushed',
          commit: unrecorded.sha,
          sourceRevision: start.revision,
          summary: pushSummary(
            unrecorded.sha,
            config.pushBranch,
            config.refspec ? [config.refspec] : [],
            unrecorded.message,
          ),
          pushedAt: unrecorded.committedAt,
        };
      }
      const commit = await clone.commit(update.message, commitAuthorOf(obj), run.now);
      if (commit === undefined) return { kind: 'unchanged', sourceRevision: start.revision };
      const pushed = await clone.push(config.pushBranch, config.refspec, obj.spec.git?.push?.options);
      if (pushed.kind === 'rejected') {
        deps.logger.info({ attempt }, 'push rejected: the remote moved on, cloning again');
        deps.git.invalidate(url);
        if (attempt < PUSH_ATTEMPTS) continue;
        return failed(ImageAutomationReason.GitOperationFailed, `failed to update source: ${pushed.message}`);
      }
      deps.git.invalidate(url);
      return {
        kind: 'pushed',
        commit,
        // a push to another branch leaves the checkout branch where it was
        sourceRevision: config.switchBranch ? start.revision : fluxRevision(config.pushBranch, commit),
        summary: pushSummary(
          commit,
          config.pushBranch,
          config.refspec ? [config.refspec] : [],
          update.message,
        ),
      };
    } catch (err) {
      return failed(ImageAutomationReason.GitOperationFailed, `failed to update source: ${text(err)}`);
    } finally {
      await clone.dispose();
    }
  }
}
