import { lstat, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import type { KubeClient, Reflector } from '../kube/index.js';
import type { ArtifactStore } from './artifact-store.js';
import { type ChartArchiveLimits, type ChartFile, readChartArchive } from './chart-archive.js';
import type { ChartIndexCache } from './chart-index-cache.js';
import { revisionSha } from './git-ref.js';
import { chartDownloadUrl, selectChartVersion } from './helm-index.js';
import type { HelmChart, HelmRepository } from './helm-types.js';
import { basicAuthFromSecret, dockerConfigAuth, download } from './http-download.js';
import { durationMs } from './intervals.js';
import { pullOciHelmChart } from './oci-helm-chart.js';
import type { GitRepository } from './types.js';

/** A chart's files as one source gives them, before valuesFiles are merged. */
export interface FetchedChart {
  readonly name: string;
  readonly version: string;
  readonly files: readonly ChartFile[];
  /** The source's artifact revision this chart came from (none for an OCI HelmRepository, as in Flux). */
  readonly sourceRevision?: string;
  /** True when built from a directory (Flux packages it), false when pulled. */
  readonly packaged: boolean;
  /** Values files are relative to this folder of `files` (`''`: the chart) or to the source root. */
  readonly readFile: (path: string) => Promise<Buffer | undefined>;
}

export class ChartSourceError extends Error {
  constructor(
    message: string,
    /** True when the source is not ready yet (Flux waits for it without counting a failure). */
    readonly waiting = false,
    /** source-controller's reason for the failure; default `ChartPullError` (`NoSourceArtifact` when waiting). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface ChartSourceDeps {
  readonly client: KubeClient;
  readonly helmRepos: Reflector<HelmRepository>;
  readonly gitRepos: Reflector<GitRepository>;
  readonly indexes: ChartIndexCache;
  readonly artifacts: ArtifactStore;
  readonly limits: ChartArchiveLimits;
}

/** The name and version of a chart's Chart.yaml. */
export function chartMeta(content: Buffer | undefined): { name: string; version: string } {
  const meta = content ? (parse(content.toString('utf8')) as Record<string, unknown> | null) : null;
  if (!meta || typeof meta.name !== 'string' || typeof meta.version !== 'string')
    throw new ChartSourceError('Chart.yaml file is missing or has no name and version');
  return { name: meta.name, version: meta.version };
}

/** Pulls the chart version a HelmChart asks for from its HelmRepository's index. */
async function fromHelmRepository(d: ChartSourceDeps, chart: HelmChart): Promise<FetchedChart> {
  const ns = chart.metadata.namespace ?? '';
  const ref = chart.spec.sourceRef;
  const repo = d.helmRepos.store.get(`${ns}/${ref.name}`);
  if (!repo)
    throw new ChartSourceError(`failed to get source: HelmRepository '${ns}/${ref.name}' not found`, true);
  if (repo.spec.type === 'oci') return fromOciHelmRepository(d, chart, repo);
  const revision = repo.status?.artifact?.revision;
  if (!revision)
    throw new ChartSourceError(`no artifact available for HelmRepository source '${ref.name}'`, true);
  const timeoutMs = durationMs(repo.spec.timeout, 60_000);
  const auth = await basicAuthFromSecret(d.client, ns, repo.spec.secretRef?.name);
  const fetched =
    d.indexes.cached(repo.spec.url, revision) ?? (await d.indexes.fetch(repo.spec.url, auth, timeoutMs));
  const sel = selectChartVersion(fetched.index, chart.spec.chart, chart.spec.version);
  if (sel.kind === 'error')
    throw new ChartSourceError(
      `invalid chart reference: failed to get chart version for remote reference: ${sel.message}`,
    );
  const url = chartDownloadUrl(repo.spec.url, sel.entry);
  if (!url)
    throw new ChartSourceError(`chart '${chart.spec.chart}' version '${sel.entry.version}' has no URL`);
  const sameHost = new URL(url).host === new URL(repo.spec.url).host;
  const tgz = await download(url, {
    timeoutMs,
    maxBytes: d.limits.maxBytes,
    // credentials go to the repository's own host only (Flux's passCredentials: false)
    ...(auth !== undefined && sameHost && { authorization: auth }),
  });
  const files = readChartArchive(tgz, d.limits);
  const meta = chartMeta(files.find((f) => f.path === 'Chart.yaml')?.content);
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  return {
    ...meta,
    files,
    sourceRevision: revision,
    packaged: false,
    readFile: async (p) => byPath.get(posix.normalize(p).replace(/^\.?\//, '')),
  };
}

/** Pulls the chart version a HelmChart asks for from an OCI HelmRepository's registry (no index, no artifact). */
async function fromOciHelmRepository(
  d: ChartSourceDeps,
  chart: HelmChart,
  repo: HelmRepository,
): Promise<FetchedChart> {
  const ns = chart.metadata.namespace ?? '';
  let authorization: string | undefined;
  try {
    const host = /^oci:\/\/([^/]+)/.exec(repo.spec.url)?.[1] ?? '';
    authorization = await dockerConfigAuth(d.client, ns, repo.spec.secretRef?.name, host);
  } catch (err) {
    throw new ChartSourceError((err as Error).message, false, 'AuthenticationFailed');
  }
  const pulled = await pullOciHelmChart({
    repositoryUrl: repo.spec.url,
    chart: chart.spec.chart,
    ...(chart.spec.version !== undefined && { version: chart.spec.version }),
    client: {
      timeoutMs: durationMs(repo.spec.timeout, 60_000),
      ...(repo.spec.insecure && { insecure: true }),
      ...(authorization !== undefined && { authorization }),
    },
    limits: d.limits,
  });
  if (pulled.kind === 'failed') throw new ChartSourceError(pulled.message, false, pulled.reason);
  const byPath = new Map(pulled.files.map((f) => [f.path, f.content]));
  return {
    name: pulled.name,
    version: pulled.version,
    files: pulled.files,
    packaged: false,
    readFile: async (p) => byPath.get(posix.normalize(p).replace(/^\.?\//, '')),
  };
}

/** Packages the chart directory of a GitRepository's artifact (its `spec.chart` path). */
async function fromGitRepository(d: ChartSourceDeps, chart: HelmChart): Promise<FetchedChart> {
  const ns = chart.metadata.namespace ?? '';
  const ref = chart.spec.sourceRef;
  const repo = d.gitRepos.store.get(`${ns}/${ref.name}`);
  if (!repo)
    throw new ChartSourceError(`failed to get source: GitRepository '${ns}/${ref.name}' not found`, true);
  const revision = repo.status?.artifact?.revision;
  const sha = revision ? revisionSha(revision) : undefined;
  if (!revision || !sha)
    throw new ChartSourceError(`no artifact available for GitRepository source '${ref.name}'`, true);
  const stored = await d.artifacts.get(repo.spec.url, sha, repo.status?.observedIgnore ?? repo.spec.ignore);
  const dir = posix.normalize(chart.spec.chart.replace(/^\.?\/+/, '')).replace(/\/+$/, '');
  if (dir.startsWith('..')) throw new ChartSourceError(`chart path '${chart.spec.chart}' leaves the source`);
  const prefix = dir === '.' || dir === '' ? '' : `${dir}/`;
  const files: ChartFile[] = [];
  let total = 0;
  for (const f of stored.files.files) {
    if (f.symlink || !f.path.startsWith(prefix)) continue;
    const content = await readFile(join(stored.files.root, f.path));
    total += content.length;
    if (total > d.limits.maxBytes)
      throw new ChartSourceError(`chart '${dir}' exceeds ${d.limits.maxBytes} bytes`);
    files.push({ path: f.path.slice(prefix.length), content });
  }
  if (!files.some((f) => f.path === 'Chart.yaml'))
    throw new ChartSourceError(`path '${chart.spec.chart}' not found: no Chart.yaml in the source`);
  const meta = chartMeta(files.find((f) => f.path === 'Chart.yaml')?.content);
  const version =
    chart.spec.reconcileStrategy === 'Revision' ? `${meta.version}+${sha.slice(0, 12)}` : meta.version;
  return {
    name: meta.name,
    version,
    files,
    sourceRevision: revision,
    packaged: true,
    // values files of a Git chart are relative to the source root
    readFile: async (p) => {
      const rel = posix.normalize(p.replace(/^\.?\/+/, ''));
      if (rel.startsWith('..') || !stored.files.files.some((f) => f.path === rel && !f.symlink))
        return undefined;
      const full = join(stored.files.root, rel);
      const st = await lstat(full);
      if (st.size > d.limits.maxBytes) throw new ChartSourceError(`values file '${p}' is too large`);
      return readFile(full);
    },
  };
}

/** The chart of a HelmChart from its source kind. */
export function fetchChart(d: ChartSourceDeps, chart: HelmChart): Promise<FetchedChart> {
  switch (chart.spec.sourceRef.kind) {
    case 'HelmRepository':
      return fromHelmRepository(d, chart);
    case 'GitRepository':
      return fromGitRepository(d, chart);
    default:
      return Promise.reject(new ChartSourceError(`unsupported source kind '${chart.spec.sourceRef.kind}'`));
  }
}
