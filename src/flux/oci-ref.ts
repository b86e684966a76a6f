import { SemverVersion, semverCompare } from '../gotemplate/index.js';
import type { OCIRepositoryRef } from './oci-types.js';

export type OciRefResolution =
  | { readonly kind: 'resolved'; readonly reference: string; readonly tag?: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * source-controller's getArtifactRef: digest > semver (the highest tag in range, optionally
 * filtered by `semverFilter`) > tag > `latest`. `tags` is only needed for semver. Pure.
 */
export function resolveOciRef(ref: OCIRepositoryRef | undefined, tags: readonly string[]): OciRefResolution {
  if (ref?.digest) return { kind: 'resolved', reference: ref.digest };
  if (ref?.semver) {
    let filter: RegExp | undefined;
    try {
      filter = ref.semverFilter ? new RegExp(ref.semverFilter) : undefined;
    } catch (err) {
      return { kind: 'error', message: `failed to filter tags: ${(err as Error).message}` };
    }
    let best: { tag: string; v: SemverVersion } | undefined;
    for (const tag of tags) {
      if (filter && !filter.test(tag)) continue;
      let v: SemverVersion;
      let ok: boolean;
      try {
        v = SemverVersion.parse(tag);
        ok = semverCompare(ref.semver, tag);
      } catch {
        continue;
      }
      if (ok && (!best || v.Compare(best.v) > 0)) best = { tag, v };
    }
    if (!best) return { kind: 'error', message: `no match found for semver: ${ref.semver}` };
    return { kind: 'resolved', reference: best.tag, tag: best.tag };
  }
  const tag = ref?.tag || 'latest';
  return { kind: 'resolved', reference: tag, tag };
}

/** Flux's OCI revision: `<tag>@sha256:<hex>`, or the digest alone. Pure. */
export function ociRevision(tag: string | undefined, digest: string): string {
  return tag ? `${tag}@${digest}` : digest;
}
