import type { Logger } from '../../observability/index.js';
import type { AutomationClone, CommitRecord } from './automation-git.js';
import type { ManifestReadLimits } from './manifest-files.js';
import type { PolicyLatest } from './setter-values.js';
import type { ImageUpdateAutomation } from './types.js';
import { commitAuthorOf, updateWorkTree } from './work-tree-update.js';

const withoutTrailingNewlines = (s: string) => s.replace(/\n+$/, '');

/**
 * The clone's HEAD when it is this automation's own push that its status does not record (the
 * process stopped between `git push` and the status write), else undefined. Called when the Setters
 * found nothing to change at HEAD. HEAD counts as that push when it is not `status.lastPushCommit`,
 * carries the automation's author, and is exactly what this run would commit on top of its parent:
 * the same tree and the same rendered message (returned as rendered). Leaves the clone at HEAD's
 * parent, changed.
 */
export async function findUnrecordedPush(
  clone: AutomationClone,
  obj: ImageUpdateAutomation,
  policies: readonly PolicyLatest[],
  deps: { readonly logger: Logger; readonly readLimits?: ManifestReadLimits },
): Promise<CommitRecord | undefined> {
  const head = await clone.head();
  if (head.sha === obj.status?.lastPushCommit || head.parent === undefined) return undefined;
  const author = commitAuthorOf(obj);
  if (head.author.name !== author.name || head.author.email !== author.email) return undefined;
  await clone.checkoutDetached(head.parent);
  const update = await updateWorkTree(clone.dir, obj, policies, deps);
  if (update.kind !== 'changed') return undefined;
  if (withoutTrailingNewlines(update.message) !== withoutTrailingNewlines(head.message)) return undefined;
  // the message as rendered (what the push's Event said), not as git stored it
  return (await clone.workTreeTree()) === head.tree ? { ...head, message: update.message } : undefined;
}
