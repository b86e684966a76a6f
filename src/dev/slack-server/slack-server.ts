import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlipwayError } from '../../errors/index.js';
import { formatMessage } from './console-view.js';
import { MessageStore } from './message-store.js';
import { type MethodContext, runMethod } from './methods.js';
import { readSlackCall, SlackCallError } from './request-body.js';
import { TrafficControl } from './traffic-control.js';
import type {
  SlackChannelSpec,
  SlackFailure,
  SlackMessage,
  SlackRateViolation,
  SlackReply,
  SlackRequestRecord,
  SlackServerOptions,
} from './types.js';

/** A running server: `apiUrl` is what `WebClient`'s `slackApiUrl` option takes. */
export interface RunningSlackServer {
  readonly url: string;
  readonly apiUrl: string;
  stop(): Promise<void>;
}

/** `waitFor` ran out of time. */
export class SlackServerTimeoutError extends SlipwayError {
  constructor(timeoutMs: number) {
    super('SLACK_SERVER_TIMEOUT', `slack test server: condition not met within ${timeoutMs}ms`);
  }
}

/**
 * A local, Slack-Web-API-compatible HTTP server on 127.0.0.1 for tests and the demo. It speaks the wire
 * format @slack/web-api uses, authenticates bearer tokens, stores messages and threads per channel, and lets
 * tests inject failures (`failNext`), global rate limits (`rateLimit`) and per-channel pacing limits.
 */
export class SlackServer {
  private readonly now: () => number;
  private readonly tokens: Set<string>;
  private readonly store: MessageStore;
  private readonly traffic: TrafficControl;
  private readonly log: SlackRequestRecord[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly print: ((line: string) => void) | undefined;
  private readonly ctx: MethodContext;
  private server: Server | undefined;

  constructor(private readonly options: SlackServerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.tokens = new Set(options.tokens ?? ['xoxb-test-token']);
    this.store = new MessageStore(options.channels, this.now);
    this.traffic = new TrafficControl(this.now, options.perChannelLimit?.messagesPerSecond);
    this.print =
      options.console === true
        ? (line) => process.stdout.write(`${line}\n`)
        : typeof options.console === 'function'
          ? options.console
          : undefined;
    this.ctx = {
      store: this.store,
      traffic: this.traffic,
      team: options.team ?? 'Slipway Test',
      teamId: 'T00000001',
      botName: options.botName ?? 'slipway',
      botId: 'B00000001',
      userId: 'U00000001',
      onMessage: (message, kind) =>
        this.print?.(formatMessage(message, this.store.channelName(message.channel), kind)),
    };
  }

  /** Starts listening on 127.0.0.1 (port 0 = random unless `options.port`). */
  async start(): Promise<RunningSlackServer> {
    if (this.server !== undefined)
      throw new SlipwayError('SLACK_SERVER_STARTED', 'slack test server already started');
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    return { url, apiUrl: `${url}/api/`, stop: () => this.stop() };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- test controls ----

  addToken(token: string): void {
    this.tokens.add(token);
  }

  /** Adds a channel to the workspace; returns its id. */
  addChannel(channel: string | SlackChannelSpec): string {
    return this.store.addChannel(typeof channel === 'string' ? { name: channel } : channel);
  }

  /** The next `times` calls of `method` answer with `failure` instead of running. */
  failNext(method: string, failure: SlackFailure, times = 1): void {
    this.traffic.failNext(method, failure, times);
  }

  /** Every call answers HTTP 429 with `Retry-After` for the next `seconds`. */
  rateLimit({ seconds }: { readonly seconds: number }): void {
    this.traffic.rateLimit(seconds);
  }

  /** Messages of a channel (id or name), replies included, in posting order. */
  messages(channel: string): readonly SlackMessage[] {
    return this.store.messages(channel);
  }

  /** Replies in the thread started by the message with this `ts`. */
  replies(threadTs: string): readonly SlackMessage[] {
    return this.store.replies(threadTs);
  }

  allMessages(): readonly SlackMessage[] {
    return this.store.all();
  }

  /** Every request received, oldest first (tokens are not recorded). */
  requests(method?: string): readonly SlackRequestRecord[] {
    return method === undefined ? [...this.log] : this.log.filter((r) => r.method === method);
  }

  /** Per-channel pacing violations recorded so far. */
  violations(): readonly SlackRateViolation[] {
    return this.traffic.violations();
  }

  /** Forgets messages, requests, injected failures and violations; keeps tokens and channels. */
  reset(): void {
    this.store.clear();
    this.log.length = 0;
    this.traffic.reset();
  }

  /**
   * Resolves with the first truthy value `predicate` returns, re-checking after every request; rejects with
   * SlackServerTimeoutError after `timeoutMs` (default 5000).
   */
  waitFor<T>(predicate: (server: SlackServer) => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const value = predicate(this);
        if (value === undefined || value === null || value === false) return false;
        clearTimeout(timer);
        this.waiters.delete(onChange);
        resolve(value);
        return true;
      };
      const onChange = (): void => {
        try {
          check();
        } catch (err) {
          clearTimeout(timer);
          this.waiters.delete(onChange);
          reject(err);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(onChange);
        reject(new SlackServerTimeoutError(timeoutMs));
      }, timeoutMs);
      this.waiters.add(onChange);
      onChange();
    });
  }

  // ---- request handling ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.now();
    let method = '';
    let params: Readonly<Record<string, unknown>> = {};
    let reply: SlackReply;
    try {
      const call = await readSlackCall(req);
      method = call.method;
      params = call.params;
      reply = this.answer(call.method, call.params, call.token);
    } catch (err) {
      const error = err instanceof SlackCallError ? err.slackError : 'invalid_form_data';
      reply = { status: 200, body: { ok: false, error } };
    }
    const channel = typeof params.channel === 'string' ? params.channel : undefined;
    const error =
      reply.status !== 200
        ? `http_${reply.status}`
        : typeof reply.body === 'object' && reply.body.ok === false
          ? String(reply.body.error)
          : undefined;
    this.log.push({
      method,
      at,
      params,
      status: reply.status,
      ...(error !== undefined ? { error } : {}),
      ...(channel !== undefined ? { channel } : {}),
    });
    const isJson = typeof reply.body === 'object';
    res.writeHead(reply.status, {
      'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      ...(reply.headers ?? {}),
    });
    res.end(isJson ? JSON.stringify(reply.body) : reply.body);
    for (const waiter of [...this.waiters]) waiter();
  }

  private answer(
    method: string,
    params: Readonly<Record<string, unknown>>,
    token: string | undefined,
  ): SlackReply {
    const injected = this.traffic.intercept(method);
    if (injected !== undefined) return injected;
    if (token === undefined || token === '') return { status: 200, body: { ok: false, error: 'not_authed' } };
    if (!this.tokens.has(token)) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    return runMethod(this.ctx, method, params);
  }
}

/** Creates and starts a server in one step. */
export async function startSlackServer(
  options: SlackServerOptions = {},
): Promise<{ readonly server: SlackServer } & RunningSlackServer> {
  const server = new SlackServer(options);
  const running = await server.start();
  return { server, ...running };
}
