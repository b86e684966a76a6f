import { isNotFound, type KubeClient, type KubeObject } from '../kube/index.js';

export interface DownloadOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly authorization?: string;
}

/**
 * GETs an http(s) URL into memory, refusing other schemes, redirects to them, bodies over
 * `maxBytes` and anything slower than `timeoutMs`. Errors name the URL without credentials.
 */
export async function download(url: string, options: DownloadOptions): Promise<Buffer> {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`unsupported scheme '${u.protocol.replace(':', '')}' in '${u.host}${u.pathname}'`);
  const shown = `${u.protocol}//${u.host}${u.pathname}`;
  const res = await fetch(u, {
    signal: AbortSignal.timeout(options.timeoutMs),
    ...(options.authorization !== undefined && { headers: { authorization: options.authorization } }),
  }).catch((err: unknown) => {
    throw new Error(`failed to fetch ${shown} : ${(err as Error).message}`);
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`failed to fetch ${shown} : ${res.status} ${res.statusText}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body) {
    for await (const chunk of res.body) {
      total += chunk.length;
      if (total > options.maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw new Error(`${shown}: the response exceeds the ${options.maxBytes} bytes limit`);
      }
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

/** HTTP Basic credentials from a HelmRepository's `secretRef` (`username`, `password`); undefined without one. */
export async function basicAuthFromSecret(
  client: KubeClient,
  namespace: string,
  secretName: string | undefined,
): Promise<string | undefined> {
  if (!secretName) return undefined;
  let secret: KubeObject & { data?: Record<string, string> };
  try {
    secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: secretName });
  } catch (err) {
    if (isNotFound(err)) throw new Error(`failed to get secret '${namespace}/${secretName}': not found`);
    throw err;
  }
  const field = (k: string) => Buffer.from(secret.data?.[k] ?? '', 'base64').toString('utf8');
  const username = field('username');
  const password = field('password');
  if (!username && !password) return undefined;
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/**
 * HTTP Basic credentials for `host` from a `kubernetes.io/dockerconfigjson` Secret (`auths[host]`
 * with `auth` or `username`/`password`), as Flux's OCI and image sources read them.
 */
export async function dockerConfigAuth(
  client: KubeClient,
  namespace: string,
  secretName: string | undefined,
  host: string,
): Promise<string | undefined> {
  if (!secretName) return undefined;
  let secret: KubeObject & { data?: Record<string, string> };
  try {
    secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: secretName });
  } catch (err) {
    if (isNotFound(err)) throw new Error(`failed to get secret '${namespace}/${secretName}': not found`);
    throw err;
  }
  const raw = secret.data?.['.dockerconfigjson'];
  if (raw === undefined) return basicAuthFromSecret(client, namespace, secretName);
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    config = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw new Error(`secret '${namespace}/${secretName}': .dockerconfigjson is not JSON`);
  }
  const entry = config.auths?.[host] ?? config.auths?.[`https://${host}`] ?? config.auths?.[`http://${host}`];
  if (!entry) return undefined;
  if (entry.auth) return `Basic ${entry.auth}`;
  if (entry.username || entry.password)
    return `Basic ${Buffer.from(`${entry.username ?? ''}:${entry.password ?? ''}`).toString('base64')}`;
  return undefined;
}
