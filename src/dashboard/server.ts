/**
 * The dashboard's HTTP server (node:http): the page and its bundle, a JSON API and server-sent
 * events. Every /api request names its viewer with `Authorization: Bearer <token>` (checked with
 * TokenReview), or, for `slipway dashboard`, is the local kubeconfig's user.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlipwayError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { Viewer } from './access.js';
import type { ActionInput, ApiResult, DashboardApi } from './api.js';
import { type Rendered, StreamHub, type StreamHubOptions } from './streams.js';
import type { DashboardAssets } from './ui-bundle.js';

export interface DashboardServerOptions {
  readonly api: DashboardApi;
  readonly reviewer: { authenticate(token: string | undefined): Promise<Viewer | undefined> };
  readonly assets: DashboardAssets;
  /** 'token': a bearer token per request; 'kubeconfig': local use as the kubeconfig's user. */
  readonly mode: 'token' | 'kubeconfig';
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Default 0.0.0.0 ('token'), 127.0.0.1 ('kubeconfig'). */
  readonly host?: string;
  readonly logger: Logger;
  readonly streams?: StreamHubOptions;
}

export interface DashboardServer {
  readonly port: number;
  readonly url: string;
  /** Tell open pages that the caches changed. */
  changed(): void;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
} as const;

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Slipway</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body><div id="app"></div></body>
</html>
`;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function reply<T>(res: http.ServerResponse, result: ApiResult<T>): void {
  if (result.status === 200) json(res, 200, result.body);
  else json(res, result.status, { error: result.error });
}

function bearer(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1];
}

/** A local server answers only to its own name (a page elsewhere cannot rebind a DNS name to it). */
function isLocalHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '');
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]';
}

const segment = '([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)';
const ROLLOUT_PATH = new RegExp(`^/api/rollouts/${segment}/${segment}$`);
const ACTION_PATH = new RegExp(`^/api/rollouts/${segment}/${segment}/actions/([a-z-]{1,32})$`);
const APPLICATION_PATH = new RegExp(`^/api/applications/${segment}/${segment}$`);
const APPLICATION_ACTION_PATH = new RegExp(
  `^/api/applications/${segment}/${segment}/actions/([a-z-]{1,32})$`,
);
const APPLICATION_DIFF_PATH = new RegExp(`^/api/applications/${segment}/${segment}/(diff|commits)$`);
/** Action bodies are tiny (`{"revision": 3}`). */
const MAX_BODY_BYTES = 4_096;

/** An action's JSON body, bounded; undefined when it is too big or not a JSON object. */
async function readActionInput(req: http.IncomingMessage): Promise<ActionInput | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    const body = JSON.parse(text) as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const { revision, id } = body as { revision?: unknown; id?: unknown };
    if ((revision ?? null) !== null && typeof revision !== 'number') return undefined;
    if ((id ?? null) !== null && typeof id !== 'number') return undefined;
    return {
      ...(typeof revision === 'number' && { revision }),
      ...(typeof id === 'number' && { id }),
    };
  } catch {
    return undefined;
  }
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { api, logger } = options;
  const hub = new StreamHub(options.streams);

  async function viewerOf(req: http.IncomingMessage): Promise<Viewer | undefined> {
    return options.reviewer.authenticate(options.mode === 'token' ? bearer(req) : undefined);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const viewer = await viewerOf(req);
    if (viewer === undefined) {
      json(res, 401, {
        error: 'a valid Kubernetes bearer token is required (Authorization: Bearer <token>)',
      });
      return;
    }
    const path = url.pathname;
    if (req.method === 'GET' && path === '/api/whoami') {
      json(res, 200, { username: viewer.username, readOnly: api.readOnly, mode: options.mode });
      return;
    }
    if (req.method === 'GET' && path === '/api/fleet') return reply(res, await api.fleet(viewer));
    const rollout = ROLLOUT_PATH.exec(path);
    if (req.method === 'GET' && rollout)
      return reply(res, await api.rollout(viewer, rollout[1]!, rollout[3]!));
    const action = ACTION_PATH.exec(path);
    const appAction = APPLICATION_ACTION_PATH.exec(path);
    if (action || appAction) {
      if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
      // a JSON content type cannot be sent cross-site without a CORS preflight, which is never allowed
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return json(res, 415, { error: 'send Content-Type: application/json' });
      const input = await readActionInput(req);
      if (input === undefined)
        return json(res, 400, { error: 'send a JSON object of at most 4 KiB, e.g. {"revision": 3}' });
      if (appAction)
        return reply(
          res,
          await api.applications.act(viewer, appAction[1]!, appAction[3]!, appAction[5]!, input),
        );
      return reply(res, await api.act(viewer, action![1]!, action![3]!, action![5]!, input));
    }
    const application = APPLICATION_PATH.exec(path);
    if (req.method === 'GET' && application)
      return reply(res, await api.applications.page(viewer, application[1]!, application[3]!));
    const appGit = APPLICATION_DIFF_PATH.exec(path);
    if (req.method === 'GET' && appGit)
      return appGit[5] === 'diff'
        ? reply(res, await api.applications.diff(viewer, appGit[1]!, appGit[3]!))
        : reply(res, await api.applications.commits(viewer, appGit[1]!, appGit[3]!));
    if (req.method === 'GET' && path === '/api/notifications')
      return reply(res, await api.notifications.page(viewer));
    if (req.method === 'GET' && path === '/api/stream') {
      const render = streamRender(url, req);
      if (render === undefined)
        return json(res, 400, {
          error: 'view=fleet, view=notifications, or view=rollout|application&namespace=NS&name=NAME',
        });
      if (hub.isFull) return json(res, 503, { error: 'too many open dashboard streams; retry later' });
      hub.open(res, render);
      return;
    }
    json(res, 404, { error: 'no such API' });
  }

  /**
   * What a stream re-renders: the viewer is authenticated again each time (a cached TokenReview), so
   * an expired or revoked token ends an open stream too.
   */
  function streamRender(url: URL, req: http.IncomingMessage): (() => Promise<Rendered>) | undefined {
    const view = url.searchParams.get('view');
    const asRendered = async <T>(answer: (viewer: Viewer) => Promise<ApiResult<T>>): Promise<Rendered> => {
      const viewer = await viewerOf(req);
      if (viewer === undefined)
        return { status: 401, error: 'the bearer token is no longer valid; sign in again' };
      const r = await answer(viewer);
      return r.status === 200 ? { data: r.body } : { status: r.status, error: r.error };
    };
    if (view === 'fleet') return () => asRendered((viewer) => api.fleet(viewer));
    const namespace = url.searchParams.get('namespace') ?? '';
    const name = url.searchParams.get('name') ?? '';
    if (view === 'rollout' && ROLLOUT_PATH.test(`/api/rollouts/${namespace}/${name}`))
      return () => asRendered((viewer) => api.rollout(viewer, namespace, name));
    if (view === 'application' && APPLICATION_PATH.test(`/api/applications/${namespace}/${name}`))
      return () => asRendered((viewer) => api.applications.page(viewer, namespace, name));
    if (view === 'notifications') return () => asRendered((viewer) => api.notifications.page(viewer));
    return undefined;
  }

  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (options.mode === 'kubeconfig' && !isLocalHost(req.headers.host)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('use http://localhost\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname.startsWith('/api/')) {
      handleApi(req, res, url).catch((err: unknown) => {
        // a review or read the API server did not answer: say so (KubeError messages carry no secrets)
        const isKube = err instanceof SlipwayError && err.code.startsWith('KUBE_');
        logger.warn({ err, path: url.pathname }, 'dashboard request failed');
        if (res.headersSent) res.end();
        else if (isKube) json(res, 502, { error: `cannot check access with the API server: ${err.message}` });
        else json(res, 500, { error: 'internal error; see the controller log' });
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/assets/app.js' || url.pathname === '/assets/app.css') {
      const isJs = url.pathname.endsWith('.js');
      res.writeHead(200, {
        'Content-Type': isJs ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        'Cache-Control': 'no-cache',
      });
      res.end(options.assets[isJs ? 'app.js' : 'app.css']);
      return;
    }
    if (url.pathname.startsWith('/assets/')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    // every other path is a page of the single-page app
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(INDEX_HTML);
  });
  const host = options.host ?? (options.mode === 'kubeconfig' ? '127.0.0.1' : '0.0.0.0');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
  return {
    port,
    url: `http://${shown}:${port}/`,
    changed: () => hub.changed(),
    close: () =>
      new Promise<void>((resolve) => {
        hub.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
