import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';
import { relayGitHttpBackend } from '../git/http-backend.js';
import type { TestRepo } from '../git/repo.js';
import { type LocalHttpServer, startLocalHttpServer } from '../local-http-server.js';

export interface GitHttpServerOptions {
  /**
   * Serve Git's smart HTTP protocol through `git http-backend` (CGI), which also accepts pushes:
   * a push to the checked-out branch updates the TestRepo's work tree too
   * (`receive.denyCurrentBranch=updateInstead`), so a test reads pushed files from `repo.dir`.
   * Default: the dumb protocol (static files, read only).
   */
  readonly push?: boolean;
}

/**
 * Serves a TestRepo over HTTP on loopback (GitRepository URLs must be http, https or ssh): by
 * default Git's "dumb" protocol (static files of its `.git`, refreshed with `git update-server-info`
 * on every commit made through `commit`); with `push`, the smart protocol, pushes included. With
 * `auth`, every request needs HTTP Basic credentials.
 */
export class GitHttpServer {
  private constructor(
    private readonly server: LocalHttpServer,
    readonly repo: TestRepo,
  ) {}

  static async start(
    repo: TestRepo,
    auth?: { username: string; password: string },
    options: GitHttpServerOptions = {},
  ): Promise<GitHttpServer> {
    repo.git('update-server-info');
    if (options.push) {
      repo.git('config', 'http.receivepack', 'true');
      repo.git('config', 'receive.denyCurrentBranch', 'updateInstead');
    }
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
      if (options.push) {
        relayGitHttpBackend(req, res, {
          projectRoot: dirname(repo.dir),
          pathInfo: `/${basename(repo.dir)}${path}`,
          remoteUser: 'test',
        });
        return;
      }
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
