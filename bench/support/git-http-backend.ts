// A local Git server over the "smart" HTTP protocol for the sync benchmarks: `git http-backend` (the CGI
// program that ships with git) behind a loopback HTTP server. Flux's source-controller fetches with go-git,
// which speaks only the smart protocol, and its GitRepository URLs must be http(s) or ssh; Slipway's git
// speaks it too, so both implementations read the same repository the same way.
import { createServer } from 'node:http';
import { relayGitHttpBackend } from '../../test/support/git/http-backend.js';

export interface GitHttpBackend {
  /** `http://127.0.0.1:<port>/repo.git`: clone URL of the repository. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the repository whose work tree is `dir` (its `.git`) read-only on a free loopback port. */
export async function serveGitRepository(dir: string): Promise<GitHttpBackend> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith('/repo.git/')) {
      res.writeHead(404).end();
      return;
    }
    relayGitHttpBackend(req, res, {
      projectRoot: dir,
      pathInfo: `/.git${path.slice('/repo.git'.length)}`,
      stderr: 'ignore',
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
