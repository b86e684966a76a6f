import { compileRegex } from '../expr/index.js';
import { DEFAULT_EXCLUSION_LIST, type ImageRepository } from './image-types.js';

/** How many tags `status.lastScanResult.latestTags` shows. */
export const LATEST_TAGS_COUNT = 10;

/** ImageRepository.GetExclusionList: the spec's list, or `^.*\.sig$`. */
export function exclusionListOf(repo: ImageRepository): readonly string[] {
  const list = repo.spec.exclusionList;
  return list && list.length > 0 ? list : DEFAULT_EXCLUSION_LIST;
}

export type TagFilterResult =
  | { readonly ok: true; readonly tags: string[] }
  | { readonly ok: false; readonly message: string };

/** filterOutTags: drops every tag one of the exclusion patterns matches (Flux's message for a bad pattern). Pure. */
export function filterOutTags(tags: readonly string[], patterns: readonly string[]): TagFilterResult {
  const compiled: RegExp[] = [];
  for (const pattern of patterns) {
    const re = compileRegex(pattern);
    if (typeof re === 'string') return { ok: false, message: `failed to compile regex ${pattern}: ${re}` };
    compiled.push(re);
  }
  return { ok: true, tags: tags.filter((t) => !compiled.some((re) => re.test(t))) };
}

/** Go's strings.Compare on the bytes (UTF-8 order), descending. */
const byteOrderDesc = (a: string, b: string) => Buffer.compare(Buffer.from(b), Buffer.from(a));

/** The tags as Flux stores them: sorted in descending byte order. Pure. */
export function sortTagsDescending(tags: readonly string[]): string[] {
  return [...tags].sort(byteOrderDesc);
}

/** sortTagsAndGetLatestTags over already sorted tags: the first 10, or undefined when there are none. */
export function latestTagsOf(sorted: readonly string[]): readonly string[] | undefined {
  return sorted.length > 0 ? sorted.slice(0, LATEST_TAGS_COUNT) : undefined;
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    // 3,800 bytes keep both sums below 2^31 before the modulo (zlib's NMAX is 5,552 for 32-bit)
    const end = Math.min(i + 3800, data.length);
    for (; i < end; i++) {
      a += data[i] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Go's json.Marshal of a []string: JSON with <, > and & (and U+2028/9) escaped. */
function goJsonStrings(tags: readonly string[]): string {
  return JSON.stringify(tags).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The scan's revision as Flux's default (Badger) tag database computes it: the Adler-32 checksum,
 * in decimal, of the JSON array of the stored (sorted) tags. Pure.
 */
export function tagsRevision(sorted: readonly string[]): string {
  return String(adler32(Buffer.from(goJsonStrings(sorted), 'utf8')));
}

/** Flux's scan reasons (`scanning: <reason>`). */
export const ScanReason = {
  NeverScanned: 'first scan',
  ReconcileRequested: 'reconcile requested',
  NewImageName: 'new image name',
  UpdatedExclusionList: 'updated exclusion list',
  EmptyDatabase: 'no tags in database',
  Interval: 'triggered by interval',
} as const;
export type ScanReason = (typeof ScanReason)[keyof typeof ScanReason];

export type ScanDecision =
  | { readonly scan: true; readonly reason: ScanReason; readonly nextMs: number }
  | { readonly scan: false; readonly nextMs: number };

export interface ScanInputs {
  readonly intervalMs: number;
  readonly nowMs: number;
  readonly canonicalName: string;
  /** `reconcile.fluxcd.io/requestedAt` on the object. */
  readonly requestedAt?: string;
  /** Whether this process holds tags for the repository (none after a restart). */
  readonly hasStoredTags: boolean;
}

const sameContent = (a: readonly string[], b: readonly string[] | undefined) =>
  b !== undefined && a.length === b.length && a.every((x) => b.includes(x));

/** image-reflector-controller's shouldScan: scan now (and why) or how long until the next scan. Pure. */
export function decideScan(repo: ImageRepository, inputs: ScanInputs): ScanDecision {
  const next = inputs.intervalMs;
  const last = repo.status?.lastScanResult;
  if (!last) return { scan: true, reason: ScanReason.NeverScanned, nextMs: next };
  if (inputs.requestedAt !== undefined && inputs.requestedAt !== repo.status?.lastHandledReconcileAt)
    return { scan: true, reason: ScanReason.ReconcileRequested, nextMs: next };
  if (inputs.canonicalName !== repo.status?.canonicalImageName)
    return { scan: true, reason: ScanReason.NewImageName, nextMs: next };
  if (!sameContent(exclusionListOf(repo), repo.status?.observedExclusionList))
    return { scan: true, reason: ScanReason.UpdatedExclusionList, nextMs: next };
  if (!inputs.hasStoredTags) return { scan: true, reason: ScanReason.EmptyDatabase, nextMs: next };
  const scannedAt = Date.parse(last.scanTime);
  const when = Number.isNaN(scannedAt) ? 0 : next - (inputs.nowMs - scannedAt);
  if (when < 1000) return { scan: true, reason: ScanReason.Interval, nextMs: next };
  return { scan: false, nextMs: when };
}
