import { createHash } from 'node:crypto';

export interface ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
}

interface CachedToken {
  readonly accessToken: string;
  readonly expiresAt: number;
}

/** Fetches OAuth2 client-credentials tokens and reuses them until shortly before they expire. */
export class TokenSource {
  private readonly cache = new Map<string, CachedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The access token, or a reason (never containing the secret or a token). */
  async token(
    credentials: ClientCredentials,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ ok: true; token: string } | { ok: false; message: string }> {
    const key = createHash('sha256')
      .update(
        JSON.stringify([
          credentials.tokenUrl,
          credentials.clientId,
          credentials.clientSecret,
          credentials.scopes,
        ]),
      )
      .digest('hex');
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.expiresAt > this.now()) return { ok: true, token: cached.accessToken };
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (credentials.scopes !== undefined && credentials.scopes.length > 0)
      form.set('scope', credentials.scopes.join(' '));
    const basic = Buffer.from(
      `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
    ).toString('base64');
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(credentials.tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'error',
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
      const text = await response.text();
      if (!response.ok)
        return { ok: false, message: `oauth2: token request failed with status ${response.status}` };
      const body = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
      if (typeof body.access_token !== 'string' || body.access_token === '')
        return { ok: false, message: 'oauth2: server response missing access_token' };
      const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
      this.cache.set(key, {
        accessToken: body.access_token,
        expiresAt: this.now() + Math.max(0, expiresIn - 10) * 1000,
      });
      return { ok: true, token: body.access_token };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { ok: false, message: `oauth2: cannot fetch token: ${reason}` };
    }
  }
}
