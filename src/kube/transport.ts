import http from 'node:http';
import https from 'node:https';
import { SlipwayError } from '../errors/index.js';
import {
  errorFromNetwork,
  errorFromResponse,
  type InvolvedObject,
  KubeError,
  KubeErrorCode,
} from './errors.js';
import type { ClusterAccess } from './kubeconfig.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface KubeRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  /** Defaults to application/json when there is a body. */
  readonly contentType?: string;
  /** Defaults to application/json. */
  readonly accept?: string;
  readonly signal?: AbortSignal;
  /** Whole-request timeout in ms. Default 30 s (watches: none). */
  readonly timeoutMs?: number;
  /** The object the request is about, for error messages. */
  readonly object?: InvolvedObject;
}

export interface StreamOptions {
  /** Fail the stream when no bytes arrive for this long (a silent TCP stall). Default 90 s. */
  readonly idleTimeoutMs?: number;
}

interface Credentials {
  readonly agent: http.Agent;
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: number;
}

/** Who a request acts as (the API server checks the caller's `impersonate` rights, then the user's). */
export interface Impersonation {
  readonly username: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** Kubernetes' impersonation headers; extra keys are percent-encoded, as client-go does. */
function impersonationHeaders(who: Impersonation): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { 'Impersonate-User': who.username };
  if (who.uid !== undefined && who.uid !== '') headers['Impersonate-Uid'] = who.uid;
  if ((who.groups ?? []).length > 0) headers['Impersonate-Group'] = [...(who.groups ?? [])];
  for (const [key, values] of Object.entries(who.extra ?? {}))
    if (values.length > 0) headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = [...values];
  return headers;
}

const CREDENTIALS_TTL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Raw JSON over HTTP(S) to the API server. A ClusterAccess supplies TLS material and auth headers
 * (tokens, client certificates, exec plugins); we keep one keep-alive agent and refresh credentials
 * every minute or after a 401. Bodies are parsed as plain JSON, so unknown fields survive.
 */
export class KubeTransport {
  readonly server: URL;
  /** The current context's namespace (in-cluster: the service account's), else "default". */
  readonly defaultNamespace: string;
  private credentials: Promise<Credentials> | undefined;
  private agent: http.Agent | undefined;

  constructor(
    private readonly access: ClusterAccess,
    /** Set on a transport made by `impersonating`: its credentials and connections are the base's. */
    private readonly base?: { readonly transport: KubeTransport; readonly as: Impersonation },
  ) {
    this.server = this.access.server;
    this.defaultNamespace = this.access.defaultNamespace;
  }

  /**
   * The same connection and credentials, acting as another user (Impersonate-User/-Group/-Uid/-Extra
   * headers): the API server authorizes each request as that user.
   */
  impersonating(who: Impersonation): KubeTransport {
    return new KubeTransport(this.access, { transport: this.base?.transport ?? this, as: who });
  }

  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const res = await this.send(req, false);
    const text = await readBody(res);
    const json = text.length > 0 ? parseJson(text) : undefined;
    if ((res.statusCode ?? 0) >= 400) throw this.failure(res, json, req);
    return json as T;
  }

  /** Opens a streaming GET (watch) and yields each newline-delimited JSON value. */
  async *stream(req: KubeRequest, options: StreamOptions = {}): AsyncGenerator<unknown> {
    const res = await this.send({ ...req, timeoutMs: 0 }, true);
    if ((res.statusCode ?? 0) >= 400) {
      const text = await readBody(res);
      throw this.failure(res, text ? parseJson(text) : undefined, req);
    }
    const idleMs = options.idleTimeoutMs ?? 90_000;
    res.setEncoding('utf8');
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(
        () =>
          res.destroy(new KubeError(KubeErrorCode.Unavailable, `watch stalled: no data for ${idleMs} ms`)),
        idleMs,
      );
    };
    arm();
    let buffer = '';
    try {
      for await (const chunk of res as AsyncIterable<string>) {
        arm();
        buffer += chunk;
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line.length > 0) yield parseJson(line);
          nl = buffer.indexOf('\n');
        }
      }
      if (buffer.trim().length > 0) yield parseJson(buffer.trim());
    } catch (err) {
      if (err instanceof KubeError) throw err;
      if (req.signal?.aborted) return;
      throw errorFromNetwork(err, req.object);
    } finally {
      if (idle) clearTimeout(idle);
      res.destroy();
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent?.destroy();
  }

  private failure(res: http.IncomingMessage, body: unknown, req: KubeRequest): KubeError {
    if (res.statusCode === 401) (this.base?.transport ?? this).credentials = undefined;
    const retryAfter = Number(res.headers['retry-after']);
    return errorFromResponse(
      res.statusCode ?? 0,
      body,
      req.object,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }

  private getCredentials(): Promise<Credentials> {
    const now = Date.now();
    const current = this.credentials;
    if (current) {
      return current.then((c) => (c.expiresAt > now ? c : this.refreshCredentials()));
    }
    return this.refreshCredentials();
  }

  private refreshCredentials(): Promise<Credentials> {
    const next = (async () => {
      const opts: https.RequestOptions = { headers: {} };
      await this.access.apply(opts);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
      if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      if (!this.agent) {
        const tls = {
          keepAlive: true,
          // above every reconcile worker, event writer and watch together (a 64-socket cap made
          // 64 rollout workers queue inside the agent)
          maxSockets: 256,
          ...(opts.ca !== undefined && { ca: opts.ca }),
          ...(opts.cert !== undefined && { cert: opts.cert }),
          ...(opts.key !== undefined && { key: opts.key }),
          ...(opts.rejectUnauthorized !== undefined && { rejectUnauthorized: opts.rejectUnauthorized }),
          ...(opts.servername !== undefined && { servername: opts.servername }),
        };
        this.agent =
          this.server.protocol === 'https:' ? new https.Agent(tls) : new http.Agent({ keepAlive: true });
      }
      return { agent: this.agent, headers, expiresAt: Date.now() + CREDENTIALS_TTL_MS };
    })();
    this.credentials = next;
    next.catch(() => {
      if (this.credentials === next) this.credentials = undefined;
    });
    return next;
  }

  private async send(req: KubeRequest, streaming: boolean): Promise<http.IncomingMessage> {
    let creds: Credentials;
    try {
      creds = await (this.base?.transport ?? this).getCredentials();
    } catch (err) {
      throw new SlipwayError(
        'KUBE_AUTH',
        'cannot obtain credentials from the kubeconfig; check its user entry',
        {
          cause: err,
        },
      );
    }
    const url = new URL(this.server.pathname.replace(/\/$/, '') + req.path, this.server);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string | string[]> = {
      ...creds.headers,
      ...(this.base !== undefined && impersonationHeaders(this.base.as)),
      Accept: req.accept ?? 'application/json',
    };
    if (body) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(body.length);
    }
    const lib = url.protocol === 'https:' ? https : http;
    const timeoutMs = streaming ? 0 : (req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return await new Promise<http.IncomingMessage>((resolve, reject) => {
      const r = lib.request(
        url,
        { method: req.method, headers, agent: creds.agent, signal: req.signal },
        resolve,
      );
      if (timeoutMs > 0) {
        r.setTimeout(timeoutMs, () => r.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
      }
      r.on('error', (err) => reject(errorFromNetwork(err, req.object)));
      r.end(body);
    });
  }
}

async function readBody(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}
