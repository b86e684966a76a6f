/**
 * The Application page's Git side: the diff against Git (the sync loop's own `diffApplication`, on
 * the dashboard's Git cache) and the commit behind each history entry. Diffs are computed on request,
 * one at a time per Application, and kept a few seconds; commit metadata is kept by the Git cache.
 */
import { join } from 'node:path';
import type { KubeClient } from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import {
  type Application,
  type ApplicationDiff,
  type CommitMetadata,
  DesiredStateCache,
  diffApplication,
  openWorkspace,
  RepoCache,
  ResourceManager,
  SecretCredentialSource,
  type Workspace,
} from '../sync/index.js';

/** What the API needs of Git (tests give a fake). */
export interface ApplicationGitSource {
  /** The app's diff; each resource also names its plural resource (for the viewer's `get` check). */
  diff(app: Application): Promise<DashboardDiff>;
  commit(repoURL: string, sha: string): Promise<CommitMetadata>;
}

export interface DashboardDiff extends ApplicationDiff {
  /** `group/kind` → plural resource name, for the kinds the diff holds that the server knows. */
  readonly resourceNames: Readonly<Record<string, string>>;
}

export interface ApplicationGitOptions {
  /** Reads repository Secrets, live objects, and sends the dry runs. */
  readonly client: KubeClient;
  /** Where repository credentials are (`argocd`, or the watched namespace). */
  readonly credentialsNamespace: string;
  readonly logger: Logger;
  /** How long a computed diff is shown before it is computed again. Default 10 s. */
  readonly diffTtlMs?: number;
  readonly now?: () => number;
}

const DIFFS_KEPT = 50;
/** Diffs computed at once (each renders, then dry-runs up to 4 objects at a time); more wait in line. */
const DIFFS_RUNNING = 2;
/** Diffs waiting beyond that: refused, so many open pages cannot queue unbounded work. */
const DIFFS_WAITING = 16;

export class DiffsBusyError extends Error {
  readonly code = 'DASHBOARD_DIFFS_BUSY';
  constructor() {
    super(`${DIFFS_RUNNING + DIFFS_WAITING} diffs are being computed; try again in a few seconds`);
  }
}

export class ApplicationGit implements ApplicationGitSource {
  private workspace: Workspace | undefined;
  private git: { repos: RepoCache; desired: DesiredStateCache; rm: ResourceManager } | undefined;
  private readonly diffs = new Map<string, { at: number; diff: Promise<DashboardDiff> }>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: ApplicationGitOptions) {}

  /** Opened on first use: a dashboard nobody asks for a diff makes no directory. */
  private open() {
    if (this.git !== undefined) return this.git;
    const { client, logger } = this.options;
    this.workspace = openWorkspace({
      onReapError: (path, err) => logger.warn({ err, path }, 'cannot remove a dead controller work dir'),
    });
    const repos = new RepoCache({
      dir: this.workspace.cacheDir,
      checkoutDir: join(this.workspace.runDir, 'checkouts'),
      credentials: new SecretCredentialSource(client, this.options.credentialsNamespace),
      // a few commits per repository are looked at (the diff's, rarely an older one)
      checkoutsPerRepo: 2,
    });
    this.git = {
      repos,
      desired: new DesiredStateCache({ client, repos, workDir: this.workspace.cacheDir, cacheSize: 64 }),
      rm: new ResourceManager(client),
    };
    return this.git;
  }

  diff(app: Application): Promise<DashboardDiff> {
    const now = (this.options.now ?? Date.now)();
    const key = `${app.metadata.uid ?? ''}/${app.metadata.namespace}/${app.metadata.name}`;
    const kept = this.diffs.get(key);
    if (kept !== undefined && now - kept.at < (this.options.diffTtlMs ?? 10_000)) return kept.diff;
    if (this.running >= DIFFS_RUNNING && this.waiting.length >= DIFFS_WAITING)
      return Promise.reject(new DiffsBusyError());
    const git = this.open();
    const diff = this.inTurn(() =>
      diffApplication({ client: this.options.client, ...git }, app, { concurrency: 4 }).then(async (d) => ({
        ...d,
        resourceNames: await this.resourceNames(d),
      })),
    );
    this.diffs.delete(key);
    this.diffs.set(key, { at: now, diff });
    diff.catch(() => {
      if (this.diffs.get(key)?.diff === diff) this.diffs.delete(key);
    });
    if (this.diffs.size > DIFFS_KEPT) {
      const oldest = this.diffs.keys().next().value;
      if (oldest !== undefined) this.diffs.delete(oldest);
    }
    return diff;
  }

  /** Runs `work` once fewer than DIFFS_RUNNING diffs are running. */
  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    // a finished diff hands its slot straight to the next in line
    if (this.running >= DIFFS_RUNNING) await new Promise<void>((r) => this.waiting.push(r));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.running--;
    }
  }

  commit(repoURL: string, sha: string): Promise<CommitMetadata> {
    return this.open().repos.commitMetadata(repoURL, sha);
  }

  private async resourceNames(d: ApplicationDiff): Promise<Record<string, string>> {
    const names: Record<string, string> = {};
    const kinds = new Map(d.resources.map((r) => [`${r.apiVersion}|${r.kind}`, r]));
    await Promise.all(
      [...kinds.values()].map(async (r) => {
        const info = await this.options.client.discovery
          .resolve({ apiVersion: r.apiVersion, kind: r.kind })
          .catch(() => undefined);
        if (info !== undefined) names[`${info.group}/${r.kind}`] = info.resource;
      }),
    );
    return names;
  }

  close(): void {
    this.workspace?.close();
  }
}
