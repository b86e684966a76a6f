import type { IncomingMessage } from 'node:http';
import { SlipwayError } from '../../errors/index.js';

/** Arguments of one Web API call and where its token came from. */
export interface SlackCall {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly token: string | undefined;
}

const maxBodyBytes = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > maxBodyBytes) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Reads a Web API call the way Slack does: `application/x-www-form-urlencoded` (what @slack/web-api sends;
 * nested values arrive as JSON strings) or `application/json` (token only via the Authorization header),
 * plus query-string arguments. Throws `invalid_json` / `invalid_form_data` as Slack names them.
 */
export async function readSlackCall(req: IncomingMessage): Promise<SlackCall> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = url.pathname.replace(/^\/api\//, '').replace(/^\//, '');
  const params: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const raw = await readBody(req);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  let formToken: string | undefined;
  if (contentType.startsWith('application/json')) {
    if (raw.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new SlackCallError('invalid_json');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new SlackCallError('invalid_json');
      }
      // Slack ignores a token inside a JSON body: it must come as a bearer token.
      for (const [k, v] of Object.entries(parsed)) if (k !== 'token') params[k] = v;
    }
  } else if (raw !== '') {
    const form = new URLSearchParams(raw);
    for (const [k, v] of form) params[k] = v;
  }
  if (typeof params.token === 'string') {
    formToken = params.token;
    delete params.token;
  }
  return { method, params, token: bearerToken(req) ?? formToken };
}

/** A request that Slack would reject before running the method. */
export class SlackCallError extends SlipwayError {
  constructor(readonly slackError: string) {
    super('SLACK_SERVER_BAD_REQUEST', `slack test server rejected the request: ${slackError}`);
  }
}

/** Slack's reading of a boolean argument: `true`, `1` (form strings) or a JSON boolean. */
export function readBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return value === 'true' || value === '1';
}

/** A string argument, or undefined. Numbers (JSON bodies) are accepted as their text. */
export function readString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * A JSON-array argument (`attachments`, `blocks`): a JSON string from form bodies or a real array from JSON
 * bodies. Returns `undefined` when absent or empty text, `'invalid'` when not a JSON array of objects.
 */
export function readJsonArray(value: unknown): Record<string, unknown>[] | undefined | 'invalid' {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return 'invalid';
    }
  }
  if (!Array.isArray(parsed)) return 'invalid';
  const items: Record<string, unknown>[] = [];
  for (const item of parsed) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return 'invalid';
    items.push(item as Record<string, unknown>);
  }
  return items;
}

/** A JSON object argument (form fields carry it as a JSON string); 'invalid' when it is not one. */
export function readJsonObject(value: unknown): Record<string, unknown> | undefined | 'invalid' {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return 'invalid';
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'invalid';
  return parsed as Record<string, unknown>;
}
