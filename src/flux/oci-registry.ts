import { createHash } from 'node:crypto';
import { SlipwayError } from '../errors/index.js';

/** An `oci://host[:port]/repository` URL, split. */
export interface OciRepositoryRef {
  readonly host: string;
  readonly repository: string;
}

export interface OciClientOptions {
  /** Plain HTTP (`spec.insecure`). */
  readonly insecure?: boolean;
  readonly timeoutMs: number;
  /** `Basic …` for the registry (from a docker config Secret). */
  readonly authorization?: string;
}

export const OCI_MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Multi-platform images: what a HEAD for a tag's digest also accepts. */
const OCI_INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

export interface OciManifest {
  readonly digest: string;
  readonly mediaType?: string;
  readonly config?: { readonly mediaType?: string; readonly digest?: string; readonly size?: number };
  readonly layers: readonly { readonly mediaType: string; readonly digest: string; readonly size: number }[];
  readonly annotations?: Readonly<Record<string, string>>;
}

/** At most this many pages of tags (1,000 a page) are listed. */
const MAX_TAG_PAGES = 100;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Parses `oci://host/repo/path`; throws Flux's message for anything else. Pure. */
export function parseOciUrl(url: string): OciRepositoryRef {
  const m = /^oci:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m?.[1] || !m[2] || /[^a-z0-9._/-]/.test(m[2]))
    throw new Error(`URL must be in format 'oci://<domain>/<org>/<repo>'`);
  return { host: m[1], repository: m[2].replace(/\/+$/, '') };
}

function base(ref: OciRepositoryRef, o: OciClientOptions): string {
  return `${o.insecure ? 'http' : 'https'}://${ref.host}/v2/${ref.repository}`;
}

/** A registry session: the bearer token a registry's challenge gave (reused across pages). */
interface Session {
  bearer?: string;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`, or undefined. */
function bearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/([a-zA-Z_]+)="([^"]*)"/g))
    params[m[1]?.toLowerCase() ?? ''] = m[2] ?? '';
  return params.realm ? params : undefined;
}

/** The distribution spec's token flow: the realm trades our Basic credentials (or none) for a bearer token. */
async function fetchToken(challenge: Record<string, string>, o: OciClientOptions): Promise<string> {
  const realm = new URL(challenge.realm ?? '');
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:')
    throw new Error(`unsupported token realm scheme '${realm.protocol}'`);
  if (challenge.service) realm.searchParams.set('service', challenge.service);
  if (challenge.scope) realm.searchParams.set('scope', challenge.scope);
  const res = await fetch(realm, {
    headers: o.authorization?.startsWith('Basic ') ? { authorization: o.authorization } : {},
    signal: AbortSignal.timeout(o.timeoutMs),
  }).catch((err: unknown) => {
    throw new Error(`GET ${realm.host}${realm.pathname}: ${networkMessage(err)}`);
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(
      `GET ${realm.host}${realm.pathname}: unexpected status code ${res.status} ${res.statusText}`,
    );
  }
  const body = JSON.parse(
    (await readBounded(res, MAX_ERROR_BODY_BYTES, 'token response')).toString('utf8'),
  ) as {
    token?: string;
    access_token?: string;
  };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error(`GET ${realm.host}${realm.pathname}: the token response has no token`);
  return token;
}

/** fetch's "fetch failed" with its cause (`connect ECONNREFUSED 127.0.0.1:5000`). */
function networkMessage(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause && cause !== e.message ? `${e.message}: ${cause}` : e.message;
}

/** The registry's error body (`{"errors":[{"code":"NAME_UNKNOWN","message":"…"}]}`) as `CODE: message`. */
async function registryErrors(res: Response): Promise<string> {
  try {
    const text = (await readBounded(res, MAX_ERROR_BODY_BYTES, 'error body')).toString('utf8');
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const parts = (body.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': '));
    return parts.length > 0 ? `: ${parts.join('; ')}` : '';
  } catch {
    return '';
  }
}

async function request(
  url: string,
  o: OciClientOptions,
  session: Session,
  init: { readonly method?: 'GET' | 'HEAD'; readonly accept?: string } = {},
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = {};
    if (init.accept) headers.accept = init.accept;
    const authorization = session.bearer ? `Bearer ${session.bearer}` : o.authorization;
    if (authorization) headers.authorization = authorization;
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      signal: AbortSignal.timeout(o.timeoutMs),
    }).catch((err: unknown) => {
      throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: ${networkMessage(err)}`);
    });
    const challenge = res.status === 401 ? bearerChallenge(res.headers.get('www-authenticate')) : undefined;
    if (challenge && attempt === 0) {
      await res.body?.cancel();
      session.bearer = await fetchToken(challenge, o);
      continue;
    }
    if (!res.ok) {
      const detail = init.method === 'HEAD' ? '' : await registryErrors(res);
      throw new Error(
        `${init.method ?? 'GET'} ${new URL(url).pathname}: unexpected status code ${res.status} ${res.statusText}${detail}`,
      );
    }
    return res;
  }
}

async function get(url: string, o: OciClientOptions, accept?: string): Promise<Response> {
  return request(url, o, {}, accept !== undefined ? { accept } : {});
}

async function readBounded(res: Response, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body)
    for await (const chunk of res.body) {
      total += chunk.length;
      if (total > maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw new Error(`${what} exceeds the ${maxBytes} bytes limit`);
      }
      chunks.push(Buffer.from(chunk));
    }
  return Buffer.concat(chunks);
}

/** Bounds on one tags listing. */
export interface TagListLimits {
  /** Tags asked per page (`?n=`). Default 1,000. */
  readonly pageSize?: number;
  /** More tags than this fail the listing. Default: 100 pages' worth. */
  readonly maxTags?: number;
  /** More response bytes than this, over all pages, fail the listing. Default 4 MiB a page. */
  readonly maxBytes?: number;
}

/** Thrown when a registry lists more tags (or bytes of tags) than the limits allow. */
export class TagListLimitError extends SlipwayError {
  constructor(message: string) {
    super('FLUX_IMAGE_TAGS_LIMIT', message);
  }
}

/** Every tag of a repository, following the registry's `Link` pagination (`?n=&last=`), bounded. */
export async function listTags(
  ref: OciRepositoryRef,
  o: OciClientOptions,
  limits: TagListLimits = {},
): Promise<string[]> {
  const pageSize = limits.pageSize ?? 1000;
  const maxTags = limits.maxTags ?? MAX_TAG_PAGES * 1000;
  let budget = limits.maxBytes ?? MAX_TAG_PAGES * MAX_MANIFEST_BYTES;
  const session: Session = {};
  const tags: string[] = [];
  let next: string | undefined = `${base(ref, o)}/tags/list?n=${pageSize}`;
  for (let page = 0; next; page++) {
    if (page >= MAX_TAG_PAGES)
      throw new TagListLimitError(`the registry listed more than ${MAX_TAG_PAGES} pages of tags`);
    const res = await request(next, o, session);
    let raw: Buffer;
    try {
      raw = await readBounded(res, Math.min(budget, MAX_MANIFEST_BYTES), 'tags list');
    } catch (err) {
      throw new TagListLimitError(
        `${(err as Error).message} (tags lists are read up to ${limits.maxBytes ?? budget} bytes)`,
      );
    }
    budget -= raw.length;
    const body = JSON.parse(raw.toString('utf8')) as { tags?: string[] | null };
    tags.push(...(body.tags ?? []).filter((t): t is string => typeof t === 'string'));
    if (tags.length > maxTags)
      throw new TagListLimitError(
        `the registry lists more than ${maxTags} tags for '${ref.host}/${ref.repository}'; Slipway keeps at most ${maxTags} tags per image repository`,
      );
    const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    next = link ? new URL(link, next).toString() : undefined;
  }
  return tags;
}

/** The digest of a tag's manifest (or index) as the registry reports it, from a HEAD request. */
export async function headManifestDigest(
  ref: OciRepositoryRef,
  reference: string,
  o: OciClientOptions,
): Promise<string> {
  const res = await request(
    `${base(ref, o)}/manifests/${reference}`,
    o,
    {},
    {
      method: 'HEAD',
      accept: [OCI_MANIFEST_TYPES, ...OCI_INDEX_TYPES].join(', '),
    },
  );
  const digest = res.headers.get('docker-content-digest');
  if (digest && /^sha256:[a-f0-9]{64}$/.test(digest)) return digest;
  const manifest = await getManifest(ref, reference, o).catch(() => undefined);
  if (manifest) return manifest.digest;
  throw new Error(`the registry sent no Docker-Content-Digest for '${reference}'`);
}

/** The manifest of a tag or digest, with its digest (checked when asked by digest). */
export async function getManifest(
  ref: OciRepositoryRef,
  reference: string,
  o: OciClientOptions,
): Promise<OciManifest> {
  const res = await get(`${base(ref, o)}/manifests/${reference}`, o, OCI_MANIFEST_TYPES);
  const body = await readBounded(res, MAX_MANIFEST_BYTES, 'manifest');
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (reference.startsWith('sha256:') && reference !== digest)
    throw new Error(`manifest digest mismatch: got ${digest}, want ${reference}`);
  const m = JSON.parse(body.toString('utf8')) as Omit<OciManifest, 'digest'>;
  if (!Array.isArray(m.layers)) throw new Error('the manifest has no layers (an index is not supported)');
  return { ...m, digest };
}

/** A blob, verified against its digest, within `maxBytes`. */
export async function getBlob(ref: OciRepositoryRef, digest: string, maxBytes: number, o: OciClientOptions) {
  const res = await get(`${base(ref, o)}/blobs/${digest}`, o);
  const body = await readBounded(res, maxBytes, `layer ${digest}`);
  const got = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (got !== digest) throw new Error(`layer digest mismatch: got ${got}, want ${digest}`);
  return body;
}
