// A local Git server over the "smart" HTTP protocol for the sync benchmarks: `git http-backend` (the CGI
// program that ships with git) behind a loopback HTTP server. Flux's source-controller fetches with go-git,
// which speaks only the smart protocol, and its GitRepository URLs must be http(s) or ssh; Slipway's git
// speaks it too, so both implementations read the same repository the same way.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';

export interface GitHttpBackend {
  /** `http://127.0.0.1:<port>/repo.git`: clone URL of the repository. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the repository whose work tree is `dir` (its `.git`) read-only on a free loopback port. */
export async function serveGitRepository(dir: string): Promise<GitHttpBackend> {
  const server = createServer((req, res) => {
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    if (!path.startsWith('/repo.git/')) {
      res.writeHead(404).end();
      return;
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: dir,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/.git${path.slice('/repo.git'.length)}`,
        QUERY_STRING: query,
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length'] !== undefined && { CONTENT_LENGTH: req.headers['content-length'] }),
        ...(req.headers['content-encoding'] !== undefined && {
          HTTP_CONTENT_ENCODING: req.headers['content-encoding'],
        }),
        ...(typeof req.headers['git-protocol'] === 'string' && { GIT_PROTOCOL: req.headers['git-protocol'] }),
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => {});
    // CGI output: header lines, a blank line, then the body
    let head = Buffer.alloc(0);
    let headerDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headerDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
      if (end < 0) return;
      headerDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end));
    });
    cgi.on('close', () => {
      if (!headerDone) res.writeHead(500);
      res.end();
    });
    cgi.on('error', () => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/repo.git`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
