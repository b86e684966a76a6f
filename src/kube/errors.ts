import { SlipwayError } from '../errors/index.js';

/** Stable codes of API failures, mapped from HTTP status and the Status object's reason. */
export const KubeErrorCode = {
  NotFound: 'KUBE_NOT_FOUND',
  Conflict: 'KUBE_CONFLICT',
  AlreadyExists: 'KUBE_ALREADY_EXISTS',
  Invalid: 'KUBE_INVALID',
  Forbidden: 'KUBE_FORBIDDEN',
  Unauthorized: 'KUBE_UNAUTHORIZED',
  Gone: 'KUBE_GONE',
  TooManyRequests: 'KUBE_TOO_MANY_REQUESTS',
  DisruptionBudget: 'KUBE_DISRUPTION_BUDGET',
  Unavailable: 'KUBE_UNAVAILABLE',
  Internal: 'KUBE_INTERNAL',
  BadRequest: 'KUBE_BAD_REQUEST',
  UnknownKind: 'KUBE_UNKNOWN_KIND',
  Request: 'KUBE_REQUEST',
} as const;
export type KubeErrorCode = (typeof KubeErrorCode)[keyof typeof KubeErrorCode];

/** The object a failed request was about, for messages, events and logs. */
export interface InvolvedObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface KubeErrorDetails {
  readonly httpStatus?: number;
  /** The Status reason the API server sent ("NotFound", "Conflict", ...). */
  readonly reason?: string;
  readonly object?: InvolvedObject;
  readonly causes?: readonly {
    readonly field?: string;
    readonly message?: string;
    readonly reason?: string;
  }[];
  /** Seconds the server asked us to wait (429/503 Retry-After). */
  readonly retryAfterSeconds?: number;
  /** The Status message exactly as the server sent it (for upstream-compatible condition messages). */
  readonly serverMessage?: string;
}

export class KubeError extends SlipwayError {
  readonly httpStatus: number | undefined;
  readonly reason: string | undefined;
  readonly object: InvolvedObject | undefined;
  readonly causes: KubeErrorDetails['causes'];
  readonly retryAfterSeconds: number | undefined;
  readonly serverMessage: string | undefined;

  constructor(code: KubeErrorCode, message: string, details: KubeErrorDetails = {}, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.httpStatus = details.httpStatus;
    this.reason = details.reason;
    this.object = details.object;
    this.causes = details.causes;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.serverMessage = details.serverMessage;
  }
}

const isCode =
  (code: KubeErrorCode) =>
  (err: unknown): err is KubeError =>
    err instanceof KubeError && err.code === code;

export const isNotFound = isCode(KubeErrorCode.NotFound);
export const isConflict = isCode(KubeErrorCode.Conflict);
export const isAlreadyExists = isCode(KubeErrorCode.AlreadyExists);
export const isInvalid = isCode(KubeErrorCode.Invalid);
export const isForbidden = isCode(KubeErrorCode.Forbidden);
export const isGone = isCode(KubeErrorCode.Gone);
export const isUnavailable = isCode(KubeErrorCode.Unavailable);
export const isDisruptionBudget = isCode(KubeErrorCode.DisruptionBudget);

function describe(obj: InvolvedObject | undefined): string {
  if (!obj?.kind && !obj?.name) return '';
  const where = obj.namespace ? `${obj.namespace}/` : '';
  return ` (${obj.kind ?? 'object'} ${where}${obj.name ?? ''})`;
}

interface StatusBody {
  readonly kind?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly details?: { readonly causes?: KubeErrorDetails['causes'] };
}

/** Maps an HTTP failure (status code plus the server's Status body, if any) to a typed error. */
export function errorFromResponse(
  httpStatus: number,
  body: unknown,
  object?: InvolvedObject,
  retryAfterSeconds?: number,
): KubeError {
  const status: StatusBody = body && typeof body === 'object' ? (body as StatusBody) : {};
  const reason = status.reason;
  const serverMessage = status.message ?? `the API server answered HTTP ${httpStatus}`;
  let code: KubeErrorCode;
  if (httpStatus === 404) code = KubeErrorCode.NotFound;
  else if (httpStatus === 409 && reason === 'AlreadyExists') code = KubeErrorCode.AlreadyExists;
  else if (httpStatus === 409) code = KubeErrorCode.Conflict;
  else if (httpStatus === 422) code = KubeErrorCode.Invalid;
  else if (httpStatus === 403) code = KubeErrorCode.Forbidden;
  else if (httpStatus === 401) code = KubeErrorCode.Unauthorized;
  else if (httpStatus === 410) code = KubeErrorCode.Gone;
  else if (httpStatus === 429 && status.details?.causes?.some((c) => c.reason === 'DisruptionBudget'))
    code = KubeErrorCode.DisruptionBudget;
  else if (httpStatus === 429) code = KubeErrorCode.TooManyRequests;
  else if (httpStatus === 400) code = KubeErrorCode.BadRequest;
  else if (httpStatus === 500 && /^failed to create typed patch object/.test(serverMessage)) {
    // Server-side apply reports schema type errors as 500 InternalError; it is the request that is invalid.
    code = KubeErrorCode.Invalid;
  } else if (httpStatus === 500) code = KubeErrorCode.Internal;
  else if (httpStatus >= 500) code = KubeErrorCode.Unavailable;
  else code = KubeErrorCode.Request;
  const message = `${serverMessage.charAt(0).toLowerCase()}${serverMessage.slice(1)}${describe(object)}`;
  return new KubeError(code, message, {
    httpStatus,
    ...(reason !== undefined && { reason }),
    ...(object !== undefined && { object }),
    ...(status.details?.causes !== undefined && { causes: status.details.causes }),
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    ...(status.message !== undefined && { serverMessage: status.message }),
  });
}

/** A connection-level failure (refused, reset, timeout): the API server is unavailable. */
export function errorFromNetwork(err: unknown, object?: InvolvedObject): KubeError {
  const detail = err instanceof Error ? err.message : String(err);
  return new KubeError(
    KubeErrorCode.Unavailable,
    `cannot reach the API server: ${detail}${describe(object)}`,
    object ? { object } : {},
    err,
  );
}

/** True for failures worth retrying as they are (network, 5xx, 429 incl. disruption budgets, conflicts). */
export function isRetryable(err: unknown): boolean {
  return (
    err instanceof KubeError &&
    (err.code === KubeErrorCode.Unavailable ||
      err.code === KubeErrorCode.Internal ||
      err.code === KubeErrorCode.TooManyRequests ||
      err.code === KubeErrorCode.DisruptionBudget ||
      err.code === KubeErrorCode.Conflict)
  );
}
