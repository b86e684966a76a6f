export {
  type CredentialSource,
  credentialEnv,
  noCredentials,
  normalizeRepoURL,
  type RepoCredentials,
  SecretCredentialSource,
} from './credentials.js';
export { git, redactGitOutput } from './git.js';
export { type CommitMetadata, RepoCache, type RepoCacheOptions } from './repo-cache.js';
export { RepoPoller, type RepoPollerOptions } from './repo-poller.js';
export { parseLsRemote, type RefMap, refsChanged, resolveRevision } from './revision.js';
export { interpretWebhook, type PushEvent, type WebhookSecrets, webhookHandler } from './webhook.js';
