import type { KubeClient } from '../kube/index.js';
import { dockerConfigAuth } from './http-download.js';
import type { ImageReference } from './image-reference.js';
import { exclusionListOf, filterOutTags, sortTagsDescending, tagsRevision } from './image-scan.js';
import type { StoredTags } from './image-tag-store.js';
import type { ImageRepository } from './image-types.js';
import { durationMs } from './intervals.js';
import { headManifestDigest, listTags, type OciClientOptions, type TagListLimits } from './oci-registry.js';

/** Bounds on one ImageRepository's scan (and so on the tags kept for it in memory). */
export interface ImageScanLimits {
  /** A registry listing more tags fails the scan. Default 50,000. */
  readonly maxTags: number;
  /** A tags listing larger than this (all pages) fails the scan. Default 8 MiB. */
  readonly maxBytes: number;
  /** Tags asked per page. Default 1,000. */
  readonly pageSize?: number;
}

export const DefaultImageScanLimits: ImageScanLimits = { maxTags: 50_000, maxBytes: 8 * 1024 * 1024 };

export type ImageScanResult =
  | { readonly kind: 'scanned'; readonly stored: StoredTags }
  | { readonly kind: 'auth-failed'; readonly message: string }
  | { readonly kind: 'scan-failed'; readonly message: string };

/** ImageRepository.GetTimeout: `timeout`, else `interval`, at least one second. */
export function scanTimeoutMs(repo: ImageRepository): number {
  return Math.max(1000, durationMs(repo.spec.timeout ?? repo.spec.interval, 60_000));
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The registry client options of an ImageRepository: its dockerconfigjson `secretRef`, HTTP or HTTPS, timeout. */
export async function registryOptions(
  client: KubeClient,
  repo: ImageRepository,
  ref: ImageReference,
): Promise<OciClientOptions> {
  const ns = repo.metadata.namespace ?? '';
  const secret = repo.spec.secretRef?.name;
  const authorization =
    (await dockerConfigAuth(client, ns, secret, ref.host)) ??
    (ref.host === 'index.docker.io'
      ? await dockerConfigAuth(client, ns, secret, 'https://index.docker.io/v1/')
      : undefined);
  return {
    timeoutMs: scanTimeoutMs(repo),
    ...(ref.plainHttp && { insecure: true }),
    ...(authorization !== undefined && { authorization }),
  };
}

/**
 * One scan of an ImageRepository: list the registry's tags (paged, bounded), drop the excluded
 * ones, sort them as Flux stores them and compute their revision.
 */
export async function scanImageRepository(
  client: KubeClient,
  repo: ImageRepository,
  ref: ImageReference,
  limits: ImageScanLimits,
): Promise<ImageScanResult> {
  let options: OciClientOptions;
  try {
    options = await registryOptions(client, repo, ref);
  } catch (err) {
    return { kind: 'auth-failed', message: `failed to configure authentication options: ${errorText(err)}` };
  }
  const listLimits: TagListLimits = {
    maxTags: limits.maxTags,
    maxBytes: limits.maxBytes,
    ...(limits.pageSize !== undefined && { pageSize: limits.pageSize }),
  };
  let tags: string[];
  try {
    tags = await listTags(ref, options, listLimits);
  } catch (err) {
    return { kind: 'scan-failed', message: `scan failed: ${errorText(err)}` };
  }
  const filtered = filterOutTags(tags, exclusionListOf(repo));
  if (!filtered.ok) return { kind: 'scan-failed', message: `scan failed: ${filtered.message}` };
  const sorted = sortTagsDescending(filtered.tags);
  return {
    kind: 'scanned',
    stored: { canonicalName: ref.canonicalName, tags: sorted, revision: tagsRevision(sorted) },
  };
}

/** The digest of `image:tag` (HEAD on its manifest), for an ImagePolicy's digest reflection. */
export async function fetchTagDigest(
  client: KubeClient,
  repo: ImageRepository,
  ref: ImageReference,
  tag: string,
): Promise<string> {
  return headManifestDigest(ref, tag, await registryOptions(client, repo, ref));
}
