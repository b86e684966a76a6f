// Chart versions in an OCI registry, as Helm's registry client and source-controller pick them, and
// the chart version helm-controller gives a chart from an OCIRepository. All pure.
import { parseSemverConstraint, type SemverConstraint, SemverVersion } from '../gotemplate/index.js';

/** Helm's media types in a chart's OCI manifest. */
export const HELM_CHART_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_CONTENT_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
/** The chart layer's media type before Helm 3.8; Helm still pulls it. */
export const HELM_LEGACY_CHART_MEDIA_TYPE = 'application/tar+gzip';

const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function strictVersion(s: string): SemverVersion | undefined {
  if (!STRICT_SEMVER.test(s)) return undefined;
  try {
    return SemverVersion.parse(s);
  } catch {
    return undefined;
  }
}

/** fluxcd/pkg version.ParseVersion: Masterminds' loose parse, but only with three dot-separated parts. */
function fluxVersion(s: string): SemverVersion | undefined {
  if (s.split('.').length < 3) return undefined;
  try {
    return SemverVersion.parse(s);
  } catch {
    return undefined;
  }
}

/** The registry tag Helm pushes a chart version under: `+` is not allowed in tags, so `_`. */
export function ociChartTag(version: string): string {
  return version.replaceAll('+', '_');
}

/**
 * Helm's registry client `Tags()`: every tag read back with `_` as `+`, strict SemVer only (no `v`
 * prefix, all three parts), highest first.
 */
export function chartVersionsFromTags(tags: readonly string[]): string[] {
  const versions: SemverVersion[] = [];
  for (const tag of tags) {
    const v = strictVersion(tag.replaceAll('_', '+'));
    if (v) versions.push(v);
  }
  return versions.sort((a, b) => b.Compare(a)).map((v) => v.String());
}

/**
 * True when `version` names one chart version (source-controller then pulls that tag without
 * listing the registry's tags): fluxcd/pkg's ParseVersion accepts it.
 */
export function isExactChartVersion(version: string | undefined): boolean {
  return version !== undefined && fluxVersion(version) !== undefined;
}

export type ChartVersionMatch =
  | { readonly kind: 'found'; readonly version: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * source-controller's getLastMatchingVersionOrConstraint over the versions `chartVersionsFromTags`
 * gives: an exact entry first, else the highest version in the range (`*` when empty: the latest
 * stable; pre-releases only when the range names one, Masterminds/semver v3.5 rules).
 */
export function matchChartVersion(versions: readonly string[], want: string | undefined): ChartVersionMatch {
  const ver = want ?? '';
  if (ver !== '' && versions.includes(ver)) return { kind: 'found', version: ver };
  let constraint: SemverConstraint;
  try {
    constraint = parseSemverConstraint(ver === '' || ver === '*' ? '*' : ver, { v35: true });
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  let best: SemverVersion | undefined;
  for (const candidate of versions) {
    const v = fluxVersion(candidate);
    if (v && constraint.check(v) && (!best || v.Compare(best) > 0)) best = v;
  }
  if (!best)
    return { kind: 'error', message: `could not locate a version matching provided version string ${ver}` };
  return { kind: 'found', version: best.Original() };
}

export type ChartVersionWithDigest =
  | { readonly kind: 'ok'; readonly version: string; readonly ociDigest: string }
  | { readonly kind: 'error'; readonly message: string };

/** The first 12 hex characters of `<algorithm>:<hex>`, as helm-controller's extractDigestSubString. */
function digestPrefix(revision: string): string | undefined {
  const pair = revision.split(':');
  if (pair.length !== 2 || (pair[1] ?? '').length < 12) return undefined;
  return pair[1]?.slice(0, 12);
}

/**
 * helm-controller's mutateChartWithSourceRevision for a chart from an OCIRepository: the chart
 * version gets the first 12 hex digits of the artifact's digest as build metadata (so a re-pushed tag
 * is an upgrade), and the OCI digest is kept for `lastAttemptedRevisionDigest` and `history[].ociDigest`.
 * A `<semver tag>@<digest>` revision must name the chart's version.
 */
export function chartVersionWithDigest(chartVersion: string, revision: string): ChartVersionWithDigest {
  let ver: SemverVersion;
  try {
    ver = SemverVersion.parse(chartVersion);
  } catch {
    return { kind: 'error', message: `invalid chart version ${chartVersion}` };
  }
  const at = revision.split('@');
  let tagVersion: SemverVersion | undefined;
  try {
    tagVersion = SemverVersion.parse(at.length > 1 ? (at[0] ?? '').replaceAll('_', '+') : revision);
  } catch {
    tagVersion = undefined;
  }
  let digest: string;
  let sha: string | undefined;
  if (tagVersion) {
    if (at.length !== 2 || tagVersion.Compare(ver) !== 0)
      return {
        kind: 'error',
        message: `artifact revision ${at[0] ?? ''} does not match chart version ${chartVersion}`,
      };
    digest = at[1] ?? '';
    sha = digestPrefix(digest);
  } else {
    digest = revision;
    sha = digestPrefix(revision);
  }
  if (sha === undefined) return { kind: 'error', message: `invalid artifact revision ${digest}` };
  const base = `${ver.major}.${ver.minor}.${ver.patch}${ver.pre !== '' ? `-${ver.pre}` : ''}`;
  return { kind: 'ok', version: `${base}+${sha}`, ociDigest: digest };
}
