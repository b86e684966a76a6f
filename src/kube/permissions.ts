import { isForbidden, type KubeError } from './errors.js';

/** Where the RBAC recipes live (deploy/rbac.yaml, deploy/sync/, the opt-in RoleBindings). */
export const PERMISSIONS_DOC = 'docs/permissions.md';

/**
 * The API server's 403 message (it names the verb, resource, group and namespace the service account
 * lacks) plus what to do: `recipe` names the specific grant when the caller knows it.
 */
export function describeForbidden(err: KubeError, recipe?: string): string {
  const how = recipe ?? 'grant it with deploy/rbac.yaml or a recipe';
  return `${err.message}; ${how} (see ${PERMISSIONS_DOC})`;
}

/** `describeForbidden` for a Forbidden error; any other error's own message. */
export function explainAccessError(err: unknown, recipe?: string): string {
  if (isForbidden(err)) return describeForbidden(err, recipe);
  return err instanceof Error ? err.message : String(err);
}
