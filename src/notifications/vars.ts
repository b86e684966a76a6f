import { parseTime } from '../expr/index.js';
import { createTimeNamespace } from '../gotemplate/index.js';
import type { KubeObject } from '../kube/index.js';
import type { NotificationKind } from './kinds.js';

/**
 * The data triggers and templates see, as upstream builds it: Argo CD exposes `app` and `context` (plus the
 * `time` and `strings` helpers), Argo Rollouts `rollout` (or `analysisRun`) and `time`; notifications-engine
 * adds `serviceType` and `recipient` for templates, and Argo CD's legacy `context.notificationType`.
 */

export interface VarsInput {
  readonly kind: Pick<NotificationKind, 'variable'>;
  readonly object: KubeObject;
  readonly context: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly now: () => Date;
}

/** Go `strings` helpers Argo CD's expression environment offers. */
const stringsNamespace = {
  ReplaceAll: (s: unknown, old: unknown, next: unknown) => String(s).split(String(old)).join(String(next)),
  ToUpper: (s: unknown) => String(s).toUpperCase(),
  ToLower: (s: unknown) => String(s).toLowerCase(),
  HasPrefix: (s: unknown, p: unknown) => String(s).startsWith(String(p)),
  HasSuffix: (s: unknown, p: unknown) => String(s).endsWith(String(p)),
  Contains: (s: unknown, p: unknown) => String(s).includes(String(p)),
  TrimSpace: (s: unknown) => String(s).trim(),
  Split: (s: unknown, sep: unknown) => String(s).split(String(sep)),
};

/** The environment of `when` and `oncePer` expressions. */
export function triggerEnv(input: VarsInput): Record<string, unknown> {
  return {
    [input.kind.variable]: input.object,
    context: input.context,
    secrets: input.secrets,
    strings: stringsNamespace,
    time: {
      Now: () => input.now(),
      Parse: (text: unknown) => parseTime(String(text)) ?? null,
    },
  };
}

/** The data of templates sent to one destination. */
export function templateData(
  input: VarsInput,
  destination: { readonly serviceType: string; readonly recipient: string },
): Record<string, unknown> {
  return {
    [input.kind.variable]: input.object,
    context: { ...input.context, notificationType: destination.serviceType },
    secrets: input.secrets,
    time: createTimeNamespace(input.now),
    serviceType: destination.serviceType,
    recipient: destination.recipient,
  };
}
