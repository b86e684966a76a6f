import { SyncError, SyncErrorCode } from '../errors.js';
import { runProcess } from '../run-process.js';
import { type CredentialEnv, credentialEnv, type RepoCredentials } from './credentials.js';

export interface GitOptions {
  readonly cwd?: string;
  readonly credentials?: RepoCredentials;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** Removes anything that looks like a secret from git's messages (userinfo in URLs, tokens). */
export function redactGitOutput(text: string, creds?: RepoCredentials): string {
  let out = text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
  for (const secret of [creds?.password, creds?.sshPrivateKey]) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.trim();
}

/** Runs the real git CLI without prompts; failures become SyncErrors with redacted messages. */
export async function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  let cred: CredentialEnv | undefined;
  try {
    cred = await credentialEnv(options.credentials);
    const result = await runProcess('git', args, {
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      env: {
        ...process.env,
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        LC_ALL: 'C',
        ...options.env,
        ...cred.env,
      },
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    if (result.code !== 0) {
      const verb = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'command';
      const why = redactGitOutput(result.stderr, options.credentials).split('\n').slice(-3).join('; ');
      throw new SyncError(SyncErrorCode.GitFailed, `git ${verb} failed: ${why || `exit ${result.code}`}`);
    }
    return result.stdout;
  } finally {
    await cred?.dispose();
  }
}
