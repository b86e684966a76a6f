import type { KubeObject, KubeReader } from '../kube/index.js';
import type { CredentialSource, RepoCredentials } from '../sync/index.js';

type Secret = KubeObject & { readonly data?: Readonly<Record<string, string>> };

/**
 * A GitRepository's `secretRef` (keys `username` and `password`, or `bearerToken`) as the git
 * credentials of its URL. The URL → Secret mapping is registered by the reconciler before each fetch.
 */
export class GitRepositoryCredentials implements CredentialSource {
  private readonly secrets = new Map<string, { namespace: string; name: string }>();

  constructor(private readonly client: KubeReader) {}

  register(url: string, namespace: string, secretName: string | undefined): void {
    if (secretName) this.secrets.set(url, { namespace, name: secretName });
    else this.secrets.delete(url);
  }

  async credentialsFor(url: string): Promise<RepoCredentials | undefined> {
    const ref = this.secrets.get(url);
    if (!ref) return undefined;
    let secret: Secret;
    try {
      secret = await this.client.get<Secret>({ apiVersion: 'v1', kind: 'Secret', ...ref });
    } catch (err) {
      throw new Error(
        `failed to get secret '${ref.namespace}/${ref.name}': ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const d = (k: string) => {
      const v = secret.data?.[k];
      return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
    };
    const username = d('username');
    const password = d('password') ?? d('bearerToken');
    const key = d('identity');
    return {
      ...(username !== undefined && { username }),
      ...(password !== undefined && { password }),
      ...(key !== undefined && { sshPrivateKey: key }),
    };
  }
}
