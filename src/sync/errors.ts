import { SlipwayError } from '../errors/index.js';

/** Stable codes of the sync loop's failures (documented in docs/errors.md by the lead). */
export const SyncErrorCode = {
  GitFailed: 'SYNC_GIT_FAILED',
  RevisionNotFound: 'SYNC_REVISION_NOT_FOUND',
  RenderFailed: 'SYNC_RENDER_FAILED',
  OutOfBounds: 'SYNC_OUT_OF_BOUNDS',
  RenderTooLarge: 'SYNC_RENDER_TOO_LARGE',
  ManifestInvalid: 'SYNC_MANIFEST_INVALID',
  ToolMissing: 'SYNC_TOOL_MISSING',
  ApplyFailed: 'SYNC_APPLY_FAILED',
  InvalidSpec: 'SYNC_INVALID_SPEC',
  WebhookRejected: 'SYNC_WEBHOOK_REJECTED',
  CacheNotSynced: 'SYNC_CACHE_NOT_SYNCED',
  NamespaceNotManaged: 'SYNC_NAMESPACE_NOT_MANAGED',
} as const;
export type SyncErrorCode = (typeof SyncErrorCode)[keyof typeof SyncErrorCode];

export class SyncError extends SlipwayError {
  constructor(code: SyncErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
  }
}
