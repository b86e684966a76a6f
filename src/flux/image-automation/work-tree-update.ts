import type { Logger } from '../../observability/index.js';
import type { CommitAuthor } from './automation-git.js';
import { ImageAutomationReason } from './automation-status.js';
import { renderCommitMessage } from './commit-message.js';
import { type ManifestReadLimits, readManifestFiles, writeManifestFiles } from './manifest-files.js';
import { applySettersInSlices } from './setter-slices.js';
import { type PolicyLatest, setterValues } from './setter-values.js';
import type { ImageUpdateAutomation } from './types.js';
import { NamespacedName, TemplateData, UpdateResult } from './update-result.js';

/** What the Setters made of a checkout: nothing to change, files written and their commit message, or a problem. */
export type WorkTreeUpdate =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'changed'; readonly message: string }
  | {
      readonly kind: 'stalled' | 'failed';
      readonly reason: ImageAutomationReason;
      readonly message: string;
    };

/** The author (and committer) of an automation's commits: `spec.git.commit.author`, the email for a missing name. */
export function commitAuthorOf(obj: ImageUpdateAutomation): CommitAuthor {
  const author = obj.spec.git?.commit.author ?? { email: '' };
  return { name: author.name || author.email, email: author.email };
}

/**
 * Applies the policies' Setters to the files under `spec.update.path` of the checkout in `dir`,
 * writes the changed ones and renders the commit message for the changes (Flux's template data).
 */
export async function updateWorkTree(
  dir: string,
  obj: ImageUpdateAutomation,
  policies: readonly PolicyLatest[],
  deps: { readonly logger: Logger; readonly readLimits?: ManifestReadLimits },
): Promise<WorkTreeUpdate> {
  const read = await readManifestFiles(dir, obj.spec.update?.path, deps.readLimits);
  if (read.kind === 'error')
    return {
      kind: 'failed',
      reason: ImageAutomationReason.UpdateFailed,
      message: `failed to apply policies: ${read.message}`,
    };
  if (read.skipped.length > 0)
    deps.logger.warn({ skipped: read.skipped.slice(0, 20) }, 'manifest files skipped by the setters');
  const outcome = await applySettersInSlices(read.files, setterValues(policies));
  if (outcome.unparsable.length > 0)
    deps.logger.info(
      { files: outcome.unparsable.slice(0, 20) },
      'marked files that are not YAML were skipped',
    );
  if (outcome.changes.size === 0) return { kind: 'unchanged' };
  await writeManifestFiles(read.root, outcome.writes);
  const message = renderCommitMessage(
    obj.spec.git?.commit.messageTemplate,
    new TemplateData(
      new NamespacedName(obj.metadata.namespace ?? '', obj.metadata.name ?? ''),
      new UpdateResult(outcome.changes),
      obj.spec.git?.commit.messageTemplateValues ?? {},
    ),
  );
  if (message.kind === 'error') {
    if (message.removedField)
      return {
        kind: 'stalled',
        reason: ImageAutomationReason.RemovedTemplateField,
        message: message.message,
      };
    return {
      kind: 'failed',
      reason: ImageAutomationReason.GitOperationFailed,
      message: `failed to update source: ${message.message}`,
    };
  }
  return { kind: 'changed', message: message.message };
}
