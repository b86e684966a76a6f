import type { KubeObject } from '../../kube/index.js';
import type { HookType } from '../types.js';

export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';

const HELM_HOOKS: Readonly<Record<string, HookType>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

/** The hook types of an object (`argocd.argoproj.io/hook`, else Helm's `helm.sh/hook`); empty for a plain resource. */
export function hookTypes(obj: KubeObject): HookType[] {
  const a = obj.metadata.annotations ?? {};
  const argo = a['argocd.argoproj.io/hook'];
  if (argo) {
    return argo
      .split(',')
      .map((s) => s.trim())
      .filter((s): s is HookType => ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip'].includes(s));
  }
  const helm = a['helm.sh/hook'];
  if (!helm) return [];
  const types = helm.split(',').map((s) => HELM_HOOKS[s.trim()]);
  return [...new Set(types.filter((t): t is HookType => t !== undefined))];
}

export function isHook(obj: KubeObject): boolean {
  return hookTypes(obj).length > 0;
}

/** `argocd.argoproj.io/hook-delete-policy` (default BeforeHookCreation, as Argo CD). */
export function hookDeletePolicies(obj: KubeObject): HookDeletePolicy[] {
  const raw =
    obj.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy'] ??
    obj.metadata.annotations?.['helm.sh/hook-delete-policy'];
  const map: Record<string, HookDeletePolicy> = {
    HookSucceeded: 'HookSucceeded',
    HookFailed: 'HookFailed',
    BeforeHookCreation: 'BeforeHookCreation',
    'hook-succeeded': 'HookSucceeded',
    'hook-failed': 'HookFailed',
    'before-hook-creation': 'BeforeHookCreation',
  };
  const out = (raw ?? '')
    .split(',')
    .map((s) => map[s.trim()])
    .filter((p): p is HookDeletePolicy => p !== undefined);
  return out.length > 0 ? out : ['BeforeHookCreation'];
}
