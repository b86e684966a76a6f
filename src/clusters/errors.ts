import { SlipwayError } from '../errors/index.js';

/** Stable codes of cluster registry failures (docs/errors.md). */
export const ClusterErrorCode = {
  /** A cluster Secret whose `server` or `config` cannot be read. */
  SecretInvalid: 'CLUSTER_SECRET_INVALID',
  /** An Application's destination names no registered cluster, or is ambiguous. */
  DestinationInvalid: 'CLUSTER_DESTINATION_INVALID',
  /** The destination cluster's API server cannot be reached or refuses our credentials. */
  Unreachable: 'CLUSTER_UNREACHABLE',
  /** `slipway cluster add` could not set up the manager service account or its token. */
  AddFailed: 'CLUSTER_ADD_FAILED',
} as const;
export type ClusterErrorCode = (typeof ClusterErrorCode)[keyof typeof ClusterErrorCode];

export class ClusterError extends SlipwayError {
  constructor(code: ClusterErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
  }
}
