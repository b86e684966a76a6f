import { parse } from 'yaml';
import { SemverVersion, semverCompare } from '../gotemplate/index.js';

/** One chart version of a Helm repository index (the fields Slipway reads). */
export interface ChartVersionEntry {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly urls: readonly string[];
  readonly digest?: string;
}

export interface ChartIndex {
  readonly entries: ReadonlyMap<string, readonly ChartVersionEntry[]>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Parses an `index.yaml` (apiVersion v1); throws a message naming what is wrong. Pure. */
export function parseChartIndex(text: string): ChartIndex {
  const doc: unknown = parse(text, { maxAliasCount: 100 });
  if (!isRecord(doc) || !isRecord(doc.entries)) throw new Error('no API version specified');
  const entries = new Map<string, ChartVersionEntry[]>();
  for (const [name, list] of Object.entries(doc.entries)) {
    if (!Array.isArray(list)) continue;
    const versions: ChartVersionEntry[] = [];
    for (const e of list) {
      if (!isRecord(e) || typeof e.version !== 'string') continue;
      versions.push({
        name,
        version: e.version,
        ...(typeof e.appVersion === 'string' && { appVersion: e.appVersion }),
        urls: Array.isArray(e.urls) ? e.urls.filter((u): u is string => typeof u === 'string') : [],
        ...(typeof e.digest === 'string' && { digest: e.digest }),
      });
    }
    entries.set(name, versions);
  }
  return { entries };
}

function parsed(v: string): SemverVersion | undefined {
  try {
    return SemverVersion.parse(v);
  } catch {
    return undefined;
  }
}

export type ChartSelection =
  | { readonly kind: 'found'; readonly entry: ChartVersionEntry }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Helm's `IndexFile.Get` as source-controller calls it: an exact version first, else the highest
 * version inside the semver range (`*` when empty; pre-releases only when the range names one). Pure.
 */
export function selectChartVersion(
  index: ChartIndex,
  chart: string,
  range: string | undefined,
): ChartSelection {
  const versions = index.entries.get(chart);
  if (!versions || versions.length === 0) return { kind: 'error', message: `no chart name found` };
  const want = range?.trim() || '*';
  const exact = versions.find((e) => e.version === want);
  if (exact) return { kind: 'found', entry: exact };
  let best: { entry: ChartVersionEntry; v: SemverVersion } | undefined;
  for (const entry of versions) {
    const v = parsed(entry.version);
    if (!v) continue;
    let ok: boolean;
    try {
      ok = semverCompare(want, entry.version);
    } catch (err) {
      return { kind: 'error', message: `invalid chart version '${want}': ${(err as Error).message}` };
    }
    if (ok && (!best || v.Compare(best.v) > 0)) best = { entry, v };
  }
  if (!best) return { kind: 'error', message: `no '${chart}' chart with version matching '${want}' found` };
  return { kind: 'found', entry: best.entry };
}

/** The download URL of a chart version: absolute as given, or relative to the repository URL. Pure. */
export function chartDownloadUrl(repositoryUrl: string, entry: ChartVersionEntry): string | undefined {
  const first = entry.urls[0];
  if (first === undefined) return undefined;
  const base = repositoryUrl.endsWith('/') ? repositoryUrl : `${repositoryUrl}/`;
  return new URL(first, base).toString();
}
