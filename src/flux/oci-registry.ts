import { createHash } from 'node:crypto';

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

export interface OciManifest {
  readonly digest: string;
  readonly mediaType?: string;
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

async function get(url: string, o: OciClientOptions, accept?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (accept) headers.accept = accept;
  if (o.authorization) headers.authorization = o.authorization;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(o.timeoutMs) }).catch(
    (err: unknown) => {
      throw new Error(`GET ${new URL(url).pathname}: ${(err as Error).message}`);
    },
  );
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`GET ${new URL(url).pathname}: unexpected status code ${res.status} ${res.statusText}`);
  }
  return res;
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

/** Every tag of a repository, following the registry's `Link` pagination (bounded). */
export async function listTags(ref: OciRepositoryRef, o: OciClientOptions): Promise<string[]> {
  const tags: string[] = [];
  let next: string | undefined = `${base(ref, o)}/tags/list?n=1000`;
  for (let page = 0; next && page < MAX_TAG_PAGES; page++) {
    const res = await get(next, o);
    const body = JSON.parse((await readBounded(res, MAX_MANIFEST_BYTES, 'tags list')).toString('utf8')) as {
      tags?: string[] | null;
    };
    tags.push(...(body.tags ?? []));
    const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    next = link ? new URL(link, next).toString() : undefined;
  }
  return tags;
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
