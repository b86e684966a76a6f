import type { Logger } from '../../observability/index.js';
import type { RepoCache } from './repo-cache.js';

export interface RepoPollerOptions {
  readonly cache: RepoCache;
  readonly logger: Logger;
  /** ls-remote period per repository. Default 180 s (Argo CD's timeout.reconciliation). */
  readonly intervalMs?: number;
  /** Extra random delay, as a fraction of the interval. Default 0.1. */
  readonly jitter?: number;
  /**
   * Called when a repository's refs changed, whoever's `ls-remote` saw it first (this poller's, or a
   * reconcile's resolving a revision through the same cache), and when an `ls-remote` of ours failed.
   */
  readonly onChange: (repoURL: string) => void;
}

/** Polls each repository in use with `git ls-remote` and reports pushes; failures are retried next tick. */
export class RepoPoller {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: RepoPollerOptions) {
    // The cache compares every answer with the refs it last stored: comparing here, with the refs
    // known before our own ls-remote, missed a push a reconcile's ls-remote had stored in between.
    options.cache.onRefsChanged((url) => {
      if (!this.stopped) options.onChange(url);
    });
  }

  /** Starts polling the given set of repositories (and stops polling those no longer used). */
  track(repoURLs: Iterable<string>): void {
    if (this.stopped) return;
    const want = new Set(repoURLs);
    for (const [url, t] of this.timers) {
      if (!want.has(url)) {
        clearTimeout(t);
        this.timers.delete(url);
      }
    }
    for (const url of want) if (!this.timers.has(url)) this.schedule(url);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(url: string): void {
    const interval = this.options.intervalMs ?? 180_000;
    const delay = interval * (1 + Math.random() * (this.options.jitter ?? 0.1));
    const t = setTimeout(() => void this.poll(url), delay);
    t.unref();
    this.timers.set(url, t);
  }

  private async poll(url: string): Promise<void> {
    try {
      await this.options.cache.refs(url, 0);
    } catch (err) {
      this.options.logger.warn({ err, repo: url }, 'ls-remote failed');
      this.options.onChange(url);
    } finally {
      if (!this.stopped && this.timers.has(url)) this.schedule(url);
    }
  }
}
