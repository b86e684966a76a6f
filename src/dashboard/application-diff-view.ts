/**
 * The Application page's diff against Git and the commits behind its history, as plain data: each
 * resource's unified diff (live → desired, Secret values already hidden by the sync loop's diff),
 * bounded in count and size, and left out where the viewer may not `get` the resource. Pure.
 */
import { stringify } from 'yaml';
import type { ApplicationDiff, CommitMetadata, ResourceDiffEntry } from '../sync/index.js';
import { unifiedDiff } from '../sync/index.js';

export interface ResourceDiffView {
  readonly key: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** 'Synced' or 'OutOfSync' (missing live objects are OutOfSync). */
  readonly status: 'Synced' | 'OutOfSync';
  /** The viewer may not read this resource: no content shown. */
  readonly hidden: boolean;
  /** Unified diff, live → desired; empty when in sync or hidden. */
  readonly diff: string;
  readonly truncated: boolean;
}

export interface ApplicationDiffView {
  readonly revision: string;
  readonly outOfSync: number;
  /** Out-of-sync resources first, then by key. */
  readonly resources: readonly ResourceDiffView[];
  /** Resources left out after `MAX_DIFF_RESOURCES`. */
  readonly omitted: number;
}

export const MAX_DIFF_RESOURCES = 500;
/** Characters of one resource's diff shown. */
export const MAX_DIFF_CHARS = 64 * 1024;

export function applicationDiffView(
  diff: ApplicationDiff,
  mayRead: (r: ResourceDiffEntry) => boolean,
): ApplicationDiffView {
  const sorted = [...diff.resources].sort(
    (a, b) => Number(a.inSync) - Number(b.inSync) || a.key.localeCompare(b.key),
  );
  const shown = sorted.slice(0, MAX_DIFF_RESOURCES).map((r): ResourceDiffView => {
    const hidden = !mayRead(r);
    let text = '';
    if (!hidden && !r.inSync)
      text = unifiedDiff(r.live ? stringify(r.live) : '', stringify(r.desired), 'live', 'desired');
    return {
      key: r.key,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      status: r.inSync ? 'Synced' : 'OutOfSync',
      hidden,
      diff: text.length > MAX_DIFF_CHARS ? `${text.slice(0, MAX_DIFF_CHARS)}\n…` : text,
      truncated: text.length > MAX_DIFF_CHARS,
    };
  });
  return {
    revision: diff.revision,
    outOfSync: diff.resources.filter((r) => !r.inSync).length,
    resources: shown,
    omitted: Math.max(0, sorted.length - MAX_DIFF_RESOURCES),
  };
}

export interface CommitView {
  readonly repoURL: string;
  readonly sha: string;
  readonly author: string;
  readonly date: string;
  /** The first line of the message. */
  readonly subject: string;
  readonly message: string;
  /** Why the commit could not be read (an unreachable repository, a commit no branch holds). */
  readonly error?: string;
}

/** A commit's metadata as the page shows it. */
export function commitView(repoURL: string, sha: string, meta: CommitMetadata): CommitView {
  return {
    repoURL,
    sha,
    author: meta.author,
    date: meta.date,
    subject: (meta.message.split('\n')[0] ?? '').slice(0, 200),
    message: meta.message,
  };
}
