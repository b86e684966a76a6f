import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { TestRepo } from '../git/repo.js';
import { type LocalHttpServer, startLocalHttpServer } from '../local-http-server.js';

/**
 * Serves a TestRepo over Git's "dumb" HTTP protocol on loopback (GitRepository URLs must be http,
 * https or ssh): static files of its `.git`, refreshed with `git update-server-info` on every commit
 * made through `commit`. With `auth`, every request needs HTTP Basic credentials.
 */
export class GitHttpServer {
  private constructor(
    private readonly server: LocalHttpServer,
    readonly repo: TestRepo,
  ) {}

  static async start(repo: TestRepo, auth?: { username: string; password: string }): Promise<GitHttpServer> {
    repo.git('update-server-info');
    const root = join(repo.dir, '.git');
    const expected = auth
      ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
      : undefined;
    const server = await startLocalHttpServer((req, res) => {
      if (expected !== undefined && req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
        return;
      }
      const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(
        /^\/repo\.git/,
        '',
      );
      const file = join(root, path);
      if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    return new GitHttpServer(server, repo);
  }

  /** The GitRepository URL. */
  get url(): string {
    return `${this.server.base}/repo.git`;
  }

  /** Commits everything and publishes the new refs; returns the new HEAD SHA. */
  commit(message: string): string {
    const sha = this.repo.commit(message);
    this.repo.git('update-server-info');
    return sha;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
