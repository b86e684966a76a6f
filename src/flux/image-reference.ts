import type { OciRepositoryRef } from './oci-registry.js';

/** An ImageRepository's `spec.image`, parsed as go-containerregistry's `name` package does. */
export interface ImageReference extends OciRepositoryRef {
  /** `<registry>/<repository>` with Docker Hub's implied parts made explicit (`index.docker.io/library/alpine`). */
  readonly canonicalName: string;
  /** go-containerregistry speaks plain HTTP to `insecure` registries and to local ones (loopback, RFC 1918, localhost). */
  readonly plainHttp: boolean;
}

export type ImageReferenceResult =
  | { readonly ok: true; readonly ref: ImageReference }
  | { readonly ok: false; readonly message: string };

const DEFAULT_REGISTRY = 'index.docker.io';
const REPOSITORY_CHARS = /^[a-z0-9_\-./]+$/;
const TAG_CHARS = /^[A-Za-z0-9_.-]{1,128}$/;

function isLocalRegistry(host: string): boolean {
  const ip = host.split(':')[0] ?? '';
  if (host.startsWith('localhost:') || /\.localhost(?::\d{1,5})?$/.test(host)) return true;
  if (host.includes('127.0.0.1') || host.includes('::1')) return true;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip)?.slice(1).map(Number);
  if (!octets || octets.some((o) => o > 255)) return false;
  const [a = 0, b = 0] = octets;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** name.NewRepository: the registry is the first path element iff it holds a '.' or ':'. */
function splitRepository(name: string): { registry: string; repository: string } | undefined {
  const slash = name.indexOf('/');
  let registry = '';
  let repository = name;
  if (slash > 0) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':')) {
      registry = first;
      repository = name.slice(slash + 1);
    }
  }
  if (repository.length < 2 || repository.length > 255 || !REPOSITORY_CHARS.test(repository))
    return undefined;
  try {
    if (registry !== '' && new URL(`http://${registry}`).host !== registry.toLowerCase()) return undefined;
  } catch {
    return undefined;
  }
  if (registry === '' || registry === 'docker.io') registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository };
}

/**
 * image-reflector-controller's ParseImageReference: no URL scheme, no tag or digest, a valid
 * repository name. Messages are Flux's. Pure.
 */
export function parseImageReference(image: string, insecure: boolean): ImageReferenceResult {
  const scheme = image.split('://');
  if (scheme.length > 1)
    return {
      ok: false,
      message: `image '${image}' should not include URL scheme; remove '${scheme[0]}://'`,
    };
  // name.ParseReference: a tag (`repo:tag`), else a digest (`repo@sha256:…`)
  let base = image;
  const at = image.indexOf('@');
  if (at >= 0) base = image.slice(0, at);
  else {
    const parts = image.split(':');
    const last = parts[parts.length - 1] ?? '';
    if (parts.length > 1 && !last.includes('/')) {
      if (!TAG_CHARS.test(last)) return { ok: false, message: `could not parse reference: ${image}` };
      base = parts.slice(0, -1).join(':');
    }
  }
  const split = splitRepository(base);
  if (!split) return { ok: false, message: `could not parse reference: ${image}` };
  const afterRegistry = image.startsWith(split.registry) ? image.slice(split.registry.length) : image;
  const tagged = afterRegistry.split(':');
  if (tagged.length > 1)
    return {
      ok: false,
      message: `image '${image}' should not include a tag; remove ':${tagged[1]}'`,
    };
  return {
    ok: true,
    ref: {
      host: split.registry,
      repository: split.repository,
      canonicalName: `${split.registry}/${split.repository}`,
      plainHttp: insecure || isLocalRegistry(split.registry),
    },
  };
}
