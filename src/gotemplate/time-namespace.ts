import { GoTime, parseRfc3339 } from './go-time.js';

/** The `time` namespace argocd-notifications puts in template data: `Now` and `Parse` (RFC 3339). */
export interface TimeNamespace {
  readonly Now: () => GoTime;
  readonly Parse: (text: unknown) => GoTime;
}

/** Builds the `time` namespace for template data from an injected clock. */
export function createTimeNamespace(clock: () => Date): TimeNamespace {
  return {
    Now: () => GoTime.fromDate(clock()),
    Parse: (text: unknown) => parseRfc3339(String(text)),
  };
}
