/**
 * One string naming what an app was compared with or synced to: the commit of a single-source app,
 * the commits of a multi-source app's sources joined with commas (Argo CD writes them as
 * `revisions`). Used to tell "this revision was already attempted" apart; never written to status.
 */
export function revisionKey(
  holder: { readonly revision?: string; readonly revisions?: readonly string[] } | undefined,
): string | undefined {
  if (!holder) return undefined;
  if (holder.revisions && holder.revisions.length > 0) return holder.revisions.join(',');
  return holder.revision || undefined;
}
