import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describeForbidden,
  isForbidden,
  KubeError,
  KubeErrorCode,
  type KubeReader,
} from '../../kube/index.js';
import { scratchRoot } from '../workspace/index.js';

/** What a repository Secret may hold (Argo CD's repository secret keys). Never logged. */
export interface RepoCredentials {
  readonly username?: string;
  readonly password?: string;
  readonly sshPrivateKey?: string;
  readonly insecureIgnoreHostKey?: boolean;
}

export interface CredentialSource {
  credentialsFor(repoURL: string): Promise<RepoCredentials | undefined>;
}

export const noCredentials: CredentialSource = { credentialsFor: async () => undefined };

function decode(v: unknown): string | undefined {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

export function normalizeRepoURL(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

/**
 * Argo CD's repository Secrets: label `argocd.argoproj.io/secret-type: repository` (exact `url`) or
 * `repo-creds` (a `url` prefix), keys `username`, `password`, `sshPrivateKey`, `insecure`.
 */
export class SecretCredentialSource implements CredentialSource {
  constructor(
    private readonly client: KubeReader,
    private readonly namespace: string,
  ) {}

  async credentialsFor(repoURL: string): Promise<RepoCredentials | undefined> {
    const want = normalizeRepoURL(repoURL);
    const list = await this.client
      .list(
        { apiVersion: 'v1', kind: 'Secret' },
        {
          namespace: this.namespace,
          labelSelector: 'argocd.argoproj.io/secret-type in (repository,repo-creds)',
        },
      )
      .catch((err: unknown) => {
        if (!isForbidden(err)) throw err;
        const recipe = `bind ClusterRole slipway-repo-credentials in namespace ${this.namespace} to read repository Secrets`;
        throw new KubeError(
          KubeErrorCode.Forbidden,
          describeForbidden(err, recipe),
          { httpStatus: 403 },
          err,
        );
      });
    let best: { score: number; data: Record<string, unknown> } | undefined;
    for (const s of list.items) {
      const data = (s as { data?: Record<string, unknown> }).data ?? {};
      const url = decode(data.url);
      if (!url) continue;
      const type = s.metadata.labels?.['argocd.argoproj.io/secret-type'];
      const candidate = normalizeRepoURL(url);
      const score =
        type === 'repository'
          ? candidate === want
            ? 1e6
            : -1
          : want.startsWith(candidate)
            ? candidate.length
            : -1;
      if (score >= 0 && (!best || score > best.score)) best = { score, data };
    }
    if (!best) return undefined;
    const d = best.data;
    const username = decode(d.username);
    const password = decode(d.password);
    const sshPrivateKey = decode(d.sshPrivateKey);
    return {
      ...(username !== undefined && { username }),
      ...(password !== undefined && { password }),
      ...(sshPrivateKey !== undefined && { sshPrivateKey }),
      ...(decode(d.insecure) === 'true' && { insecureIgnoreHostKey: true }),
    };
  }
}

/** Environment for one git invocation carrying credentials, and a cleanup for its temp files. */
export interface CredentialEnv {
  readonly env: Readonly<Record<string, string>>;
  dispose(): Promise<void>;
}

/**
 * HTTPS: an askpass script that reads the username/password from the child's environment (never argv,
 * never a URL); SSH: the key in a 0600 temp file used through GIT_SSH_COMMAND.
 */
export async function credentialEnv(creds: RepoCredentials | undefined): Promise<CredentialEnv> {
  if (!creds || (!creds.password && !creds.sshPrivateKey && !creds.username)) {
    return { env: {}, dispose: async () => {} };
  }
  const dir = await mkdtemp(join(scratchRoot(), 'slipway-git-cred-'));
  const env: Record<string, string> = {};
  if (creds.username !== undefined || creds.password !== undefined) {
    const askpass = join(dir, 'askpass.sh');
    await writeFile(
      askpass,
      '#!/bin/sh\ncase "$1" in\n  Username*) printf "%s" "$SLIPWAY_GIT_USERNAME" ;;\n  *) printf "%s" "$SLIPWAY_GIT_PASSWORD" ;;\nesac\n',
    );
    await chmod(askpass, 0o700);
    env.GIT_ASKPASS = askpass;
    env.SLIPWAY_GIT_USERNAME = creds.username ?? 'x-access-token';
    env.SLIPWAY_GIT_PASSWORD = creds.password ?? '';
  }
  if (creds.sshPrivateKey) {
    const key = join(dir, 'id');
    await writeFile(
      key,
      creds.sshPrivateKey.endsWith('\n') ? creds.sshPrivateKey : `${creds.sshPrivateKey}\n`,
      {
        mode: 0o600,
      },
    );
    const hostKey = creds.insecureIgnoreHostKey
      ? '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'
      : '-o StrictHostKeyChecking=accept-new';
    env.GIT_SSH_COMMAND = `ssh -i ${key} -o IdentitiesOnly=yes -o BatchMode=yes ${hostKey}`;
  }
  return { env, dispose: () => rm(dir, { recursive: true, force: true }) };
}
