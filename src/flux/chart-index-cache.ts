import { createHash } from 'node:crypto';
import { type ChartIndex, parseChartIndex } from './helm-index.js';
import { download } from './http-download.js';

/** Helm's default bound on an index file (source-controller --helm-index-max-size). */
export const MAX_INDEX_BYTES = 50 * 1024 * 1024;

export interface FetchedIndex {
  /** `sha256:<hex>` of the index file, the HelmRepository's artifact revision. */
  readonly revision: string;
  readonly size: number;
  readonly index: ChartIndex;
}

/**
 * The Helm repository indexes of this process, by URL: a HelmRepository fetches its index every
 * interval; a HelmChart reads it from here (fetching it itself after a restart).
 */
export class ChartIndexCache {
  private readonly byUrl = new Map<string, FetchedIndex>();

  constructor(private readonly maxEntries = 256) {}

  async fetch(url: string, authorization: string | undefined, timeoutMs: number): Promise<FetchedIndex> {
    const base = url.endsWith('/') ? url : `${url}/`;
    const bytes = await download(new URL('index.yaml', base).toString(), {
      timeoutMs,
      maxBytes: MAX_INDEX_BYTES,
      ...(authorization !== undefined && { authorization }),
    });
    const fetched: FetchedIndex = {
      revision: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.length,
      index: parseChartIndex(bytes.toString('utf8')),
    };
    this.byUrl.delete(url);
    this.byUrl.set(url, fetched);
    while (this.byUrl.size > this.maxEntries) this.byUrl.delete(this.byUrl.keys().next().value as string);
    return fetched;
  }

  /** The index last fetched for `url` when it has `revision`. */
  cached(url: string, revision: string | undefined): FetchedIndex | undefined {
    const f = this.byUrl.get(url);
    return f && (revision === undefined || f.revision === revision) ? f : undefined;
  }
}
