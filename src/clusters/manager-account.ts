/**
 * The service account `slipway cluster add` gives the controller in a target cluster, as Argo CD's
 * `clusterauth.InstallClusterManagerRBAC`: ServiceAccount `argocd-manager` in kube-system, ClusterRole
 * `argocd-manager-role` (every verb on everything), its ClusterRoleBinding, and a long-lived token
 * Secret `argocd-manager-long-lived-token` the token controller fills.
 */
import { isNotFound, type KubeClient, type KubeObject } from '../kube/index.js';
import { ClusterError, ClusterErrorCode } from './errors.js';

export const MANAGER_SERVICE_ACCOUNT = 'argocd-manager';
export const MANAGER_CLUSTER_ROLE = 'argocd-manager-role';
export const MANAGER_CLUSTER_ROLE_BINDING = 'argocd-manager-role-binding';
export const MANAGER_TOKEN_SECRET = `${MANAGER_SERVICE_ACCOUNT}-long-lived-token`;
const FIELD_MANAGER = 'slipway-cluster-add';

export interface ManagerAccountOptions {
  /** Argo CD's `--system-namespace`. Default kube-system. */
  readonly namespace?: string;
  /** How long to wait for the token. Default 30 s (Argo CD's bearer token timeout). */
  readonly timeoutMs?: number;
}

function manifests(namespace: string): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: MANAGER_SERVICE_ACCOUNT, namespace },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: MANAGER_CLUSTER_ROLE },
      rules: [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['*'] },
      ],
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: MANAGER_CLUSTER_ROLE_BINDING },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: MANAGER_CLUSTER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: MANAGER_SERVICE_ACCOUNT, namespace }],
    } as KubeObject,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: MANAGER_TOKEN_SECRET,
        namespace,
        annotations: { 'kubernetes.io/service-account.name': MANAGER_SERVICE_ACCOUNT },
      },
      type: 'kubernetes.io/service-account-token',
    } as KubeObject,
  ];
}

/** Creates (or updates) the manager account and returns its bearer token once the cluster issued it. */
export async function installManagerAccount(
  client: KubeClient,
  options: ManagerAccountOptions = {},
): Promise<string> {
  const namespace = options.namespace ?? 'kube-system';
  for (const obj of manifests(namespace))
    await client.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const secret = await client.get<KubeObject & { data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace,
      name: MANAGER_TOKEN_SECRET,
    });
    const token = secret.data?.token;
    if (token) return Buffer.from(token, 'base64').toString('utf8');
    if (Date.now() > deadline)
      throw new ClusterError(
        ClusterErrorCode.AddFailed,
        `secret ${namespace}/${MANAGER_TOKEN_SECRET} got no token within ${(options.timeoutMs ?? 30_000) / 1000}s; check that the cluster's token controller runs (kube-controller-manager)`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Removes what `installManagerAccount` created (Argo CD's `UninstallClusterManagerRBAC`); absent objects are fine. */
export async function uninstallManagerAccount(client: KubeClient, namespace = 'kube-system'): Promise<void> {
  for (const obj of [...manifests(namespace)].reverse()) {
    try {
      await client.delete({
        apiVersion: obj.apiVersion ?? '',
        kind: obj.kind ?? '',
        name: obj.metadata.name ?? '',
        ...(obj.metadata.namespace !== undefined && { namespace: obj.metadata.namespace }),
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
