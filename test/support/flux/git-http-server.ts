import { spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, join, normalize } from 'node:path';
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

/** Runs `git http-backend` for one request and relays its CGI response. */
function serveSmart(repo: TestRepo, path: string, req: IncomingMessage, res: ServerResponse): void {
  const query = (req.url ?? '').split('?')[1] ?? '';
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_PROJECT_ROOT: dirname(repo.dir),
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `/${basename(repo.dir)}${path}`,
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: query,
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length'] && { CONTENT_LENGTH: req.headers['content-length'] }),
      ...(req.headers['content-encoding'] && { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }),
      ...(typeof req.headers['git-protocol'] === 'string' && { GIT_PROTOCOL: req.headers['git-protocol'] }),
      REMOTE_USER: 'test',
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end));
  });
  child.on('close', () => {
    if (!headersDone) res.writeHead(500);
    res.end();
  });
  child.on('error', () => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
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
        serveSmart(repo, path, req, res);
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
