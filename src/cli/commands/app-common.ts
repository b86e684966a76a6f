import type { KubeClient } from '../../kube/index.js';
import type { Application } from '../../sync/index.js';
import { type ParsedArgs, stringOption, UsageError } from '../command.js';

export const APP_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;

export const APP_OPTIONS = {
  namespace: { type: 'string', short: 'n', description: 'namespace of the Application', default: 'argocd' },
} as const;

export function appRef(args: ParsedArgs): { namespace: string; name: string } {
  const name = args.positionals[0];
  if (!name) throw new UsageError('missing application NAME');
  return { namespace: stringOption(args, 'namespace') ?? 'argocd', name };
}

export function getApp(client: KubeClient, ref: { namespace: string; name: string }): Promise<Application> {
  return client.get<Application>({ ...APP_GVK, ...ref });
}

export function patchApp(
  client: KubeClient,
  ref: { namespace: string; name: string },
  patch: unknown,
): Promise<Application> {
  return client.patch<Application>({ ...APP_GVK, ...ref }, patch, { type: 'merge' });
}

export function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '-';
}
