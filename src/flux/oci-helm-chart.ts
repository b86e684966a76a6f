import { type ChartArchiveLimits, type ChartFile, readChartArchive } from './chart-archive.js';
import {
  chartVersionsFromTags,
  HELM_CHART_CONFIG_MEDIA_TYPE,
  HELM_CHART_CONTENT_MEDIA_TYPE,
  HELM_LEGACY_CHART_MEDIA_TYPE,
  isExactChartVersion,
  matchChartVersion,
  ociChartTag,
} from './oci-chart-version.js';
import { getBlob, getManifest, listTags, type OciClientOptions, parseOciUrl } from './oci-registry.js';

/** A chart version to pull from an OCI HelmRepository (`type: oci`). */
export interface OciChartRequest {
  /** The HelmRepository's `spec.url` (`oci://host/path`). */
  readonly repositoryUrl: string;
  /** The HelmChart's `spec.chart`: the last path segment of the chart's repository. */
  readonly chart: string;
  /** An exact version, a SemVer range, or empty (the latest stable version). */
  readonly version?: string;
  readonly client: OciClientOptions;
  readonly limits: ChartArchiveLimits;
}

/** A pull's outcome, with source-controller's reasons and messages for failures. */
export type OciChartPull =
  | {
      readonly kind: 'pulled';
      readonly name: string;
      readonly version: string;
      readonly files: readonly ChartFile[];
      readonly manifestDigest: string;
    }
  | {
      readonly kind: 'failed';
      readonly reason: 'ChartPullError' | 'AuthenticationFailed' | 'Failed';
      readonly message: string;
    };

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** source-controller's test for an authentication problem inside a chart build error. */
const AUTH_HINTS = ['401', 'unauthorized', 'authentication required', 'tls', 'unknown certificate authority'];

function pullFailed(message: string): OciChartPull {
  const full = `chart pull error: ${message}`;
  if (AUTH_HINTS.some((h) => full.includes(h)))
    return {
      kind: 'failed',
      reason: 'AuthenticationFailed',
      message: `failed to authenticate with the Helm repository: ${full}`,
    };
  return { kind: 'failed', reason: 'ChartPullError', message: full };
}

type Resolved = { readonly version: string } | { readonly failed: OciChartPull };

/** The chart version to pull: an exact version as given, else the best tag for the range. */
async function resolveVersion(
  req: OciChartRequest,
  chartUrl: string,
  ref: ReturnType<typeof parseOciUrl>,
): Promise<Resolved> {
  const want = req.version?.trim() ?? '';
  if (isExactChartVersion(want)) return { version: want };
  const prefix = 'failed to get chart version for remote reference: ';
  let tags: string[];
  try {
    tags = await listTags(ref, req.client);
  } catch (err) {
    return {
      failed: pullFailed(
        `${prefix}could not get tags for "${req.chart}": could not fetch tags for "${chartUrl}": ${errorText(err)}`,
      ),
    };
  }
  const versions = chartVersionsFromTags(tags);
  if (versions.length === 0)
    return {
      failed: pullFailed(
        `${prefix}could not get tags for "${req.chart}": unable to locate any tags in provided repository: ${chartUrl}`,
      ),
    };
  const match = matchChartVersion(versions, want);
  if (match.kind === 'error') return { failed: pullFailed(`${prefix}${match.message}`) };
  return { version: match.version };
}

/**
 * Pulls a chart from an OCI registry as source-controller's OCIChartRepository does with Helm's
 * registry client: resolve the version (an exact version directly, a range over the tags list), fetch
 * the manifest of its tag (`+` as `_`), take the Helm chart layer (verified digest, bounded size) and
 * read it as a chart archive. Failures come back as data with Flux's reason and message.
 */
export async function pullOciHelmChart(req: OciChartRequest): Promise<OciChartPull> {
  const repositoryUrl = req.repositoryUrl.replace(/\/+$/, '');
  if (!repositoryUrl.startsWith('oci://'))
    return {
      kind: 'failed',
      reason: 'Failed',
      message: `failed to construct Helm client: invalid OCI registry URL: ${repositoryUrl}`,
    };
  const chartUrl = `${repositoryUrl}/${req.chart}`;
  let ref: ReturnType<typeof parseOciUrl>;
  try {
    ref = parseOciUrl(chartUrl);
  } catch (err) {
    return pullFailed(`invalid chart reference '${chartUrl}': ${errorText(err)}`);
  }
  const resolved = await resolveVersion(req, chartUrl, ref);
  if ('failed' in resolved) return resolved.failed;
  const { version } = resolved;
  const download = (why: string) =>
    pullFailed(
      `failed to download chart for remote reference: failed to get '${chartUrl}:${version}': ${why}`,
    );
  let blob: Buffer;
  let manifestDigest: string;
  try {
    const manifest = await getManifest(ref, ociChartTag(version), req.client);
    manifestDigest = manifest.digest;
    if (manifest.config?.mediaType !== HELM_CHART_CONFIG_MEDIA_TYPE)
      return download(`could not load config with mediatype ${HELM_CHART_CONFIG_MEDIA_TYPE}`);
    const layer =
      manifest.layers.find((l) => l.mediaType === HELM_CHART_CONTENT_MEDIA_TYPE) ??
      manifest.layers.find((l) => l.mediaType === HELM_LEGACY_CHART_MEDIA_TYPE);
    if (!layer)
      return download(`manifest does not contain a layer with mediatype ${HELM_CHART_CONTENT_MEDIA_TYPE}`);
    if (layer.size > req.limits.maxBytes)
      return download(`the chart layer is ${layer.size} bytes, over the ${req.limits.maxBytes} bytes limit`);
    blob = await getBlob(ref, layer.digest, req.limits.maxBytes, req.client);
  } catch (err) {
    return download(errorText(err));
  }
  let files: ChartFile[];
  try {
    files = readChartArchive(blob, req.limits);
  } catch (err) {
    return pullFailed(`failed to load chart: ${errorText(err)}`);
  }
  return { kind: 'pulled', name: req.chart, version, files, manifestDigest };
}
