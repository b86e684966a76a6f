/**
 * One spec validation problem and its text as Kubernetes' `field.Error.Error()` prints it
 * (`field: Invalid value: 101: message`), which is what Argo Rollouts puts in InvalidSpec.
 */

export interface ValidationError {
  readonly type: 'Required' | 'Invalid' | 'InternalError';
  /** JSON path of the offending field. */
  readonly field: string;
  /** The path Argo reports for the same error. */
  readonly argoField: string;
  readonly message: string;
  readonly value?: unknown;
  /** How Go prints `value` when JSON would not match it (`%#v` of a struct). */
  readonly goValue?: string;
}

export const required = (field: string, message: string, argoField = field): ValidationError => ({
  type: 'Required',
  field,
  argoField,
  message,
});

export const invalid = (
  field: string,
  value: unknown,
  message: string,
  argoField = field,
  goValue?: string,
): ValidationError => ({
  type: 'Invalid',
  field,
  argoField,
  value,
  message,
  ...(goValue !== undefined && { goValue }),
});

/** `field.InternalError(path, err)`: Argo uses it for router configuration checks. */
export const internalError = (field: string, message: string): ValidationError => ({
  type: 'InternalError',
  field,
  argoField: field,
  message,
});

/** A (field, argoField) pair: Argo's canary paths leave out `.canary`. */
export type Paths = readonly [field: string, argoField: string];
export const invalidAt = (paths: Paths, value: unknown, message: string, goValue?: string) =>
  invalid(paths[0], value, message, paths[1], goValue);
export const requiredAt = (paths: Paths, message: string) => required(paths[0], message, paths[1]);

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // apimachinery 0.34 (Argo 1.10) prints other values as Go's JSON: a map's keys sorted.
  if (typeof value === 'object' && Object.values(value).every((v) => typeof v === 'string')) {
    return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
  }
  return JSON.stringify(value);
}

/**
 * Kubernetes' `field.Error.Error()` text, e.g.
 * `spec.strategy.steps[0].setWeight: Invalid value: 101: SetWeight needs to be between 0 and 100`.
 */
export function formatValidationError(
  error: ValidationError,
  options: { readonly argoPath?: boolean } = {},
): string {
  const field = options.argoPath ? error.argoField : error.field;
  if (error.type === 'InternalError') return `${field}: Internal error: ${error.message}`;
  const body =
    error.type === 'Required'
      ? 'Required value'
      : `Invalid value: ${error.goValue ?? formatValue(error.value)}`;
  return `${field}: ${body}${error.message === '' ? '' : `: ${error.message}`}`;
}
