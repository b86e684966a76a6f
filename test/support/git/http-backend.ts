// `git http-backend` (the CGI program that ships with git) behind a node HTTP handler: Git's smart HTTP
// protocol for one request, its CGI response relayed. Used by the tests' Git server and the sync bench.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface GitHttpBackendOptions {
  /** GIT_PROJECT_ROOT: the directory the repositories' paths are relative to. */
  readonly projectRoot: string;
  /** PATH_INFO: the repository's path under the root, then the protocol's path (`/repo/.git/info/refs`). */
  readonly pathInfo: string;
  /** REMOTE_USER: an authenticated user, which `git http-backend` lets push (receive-pack). Default: none. */
  readonly remoteUser?: string;
  /** Where git's stderr goes. Default: inherited. */
  readonly stderr?: 'inherit' | 'ignore';
}

/** Runs `git http-backend` for one request and relays its CGI response (headers, `Status`, body). */
export function relayGitHttpBackend(
  req: IncomingMessage,
  res: ServerResponse,
  o: GitHttpBackendOptions,
): void {
  const query = (req.url ?? '').split('?')[1] ?? '';
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_PROJECT_ROOT: o.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: o.pathInfo,
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: query,
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length'] && { CONTENT_LENGTH: req.headers['content-length'] }),
      ...(req.headers['content-encoding'] && { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }),
      ...(typeof req.headers['git-protocol'] === 'string' && { GIT_PROTOCOL: req.headers['git-protocol'] }),
      ...(o.remoteUser !== undefined && { REMOTE_USER: o.remoteUser }),
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', o.stderr ?? 'inherit'],
  });
  req.pipe(child.stdin);
  child.stdin.on('error', () => {});
  // CGI output: header lines, a blank line, then the body
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
