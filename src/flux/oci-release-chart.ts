// A HelmRelease's chart from an OCIRepository (`chartRef: {kind: OCIRepository}`), as helm-controller
// v1.6.4 reads it: the source must be reconciled and hold an artifact; the artifact is the chart archive
// (`layerSelector` the Helm chart media type, `copy` or `extract`), and the chart version carries the
// artifact digest.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findCondition } from '../core/index.js';
import type { Reflector } from '../kube/index.js';
import { chartMeta } from './chart-sources.js';
import type { ChartStore } from './chart-store.js';
import { FluxConditionType } from './conditions.js';
import { HelmReason } from './helm-release-status.js';
import { formatDurationMs } from './intervals.js';
import { chartVersionWithDigest } from './oci-chart-version.js';
import { ociArtifactTree } from './oci-repository-reconciler.js';
import type { OCIRepository } from './oci-types.js';

export interface OciReleaseChartDeps {
  readonly ociRepos: Reflector<OCIRepository>;
  readonly store: ChartStore;
  /** Asks the OCIRepository controller to pull an artifact again (it left this process). */
  readonly refreshOciRepository: (key: string) => void;
  readonly dependencyRequeueMs: number;
}

/** A release chart read from a source, or why not (helm-controller's reason and message). */
export type ReleaseChart =
  | {
      readonly kind: 'ready';
      /** The unpacked chart folder. */
      readonly dir: string;
      readonly chartName: string;
      readonly chartVersion: string;
      readonly ociDigest?: string;
      /** `<ns>/<name>` of the HelmChart, for `status.helmChart`. */
      readonly helmChart?: string;
    }
  | {
      readonly kind: 'not-ready';
      readonly reason: string;
      readonly message: string;
      readonly requeueMs: number;
      readonly helmChart?: string;
    };

/** helm-controller's isReady for a source: reconciled at its generation, not stalled, with an artifact. */
function notReadyMessage(repo: OCIRepository): string | undefined {
  const conditions = repo.status?.conditions;
  if (repo.status?.observedGeneration !== repo.metadata.generation) {
    const ready = findCondition(conditions, FluxConditionType.Ready);
    return ready?.status === 'False'
      ? (ready.message ?? '')
      : 'latest generation of object has not been reconciled';
  }
  const stalled = findCondition(conditions, FluxConditionType.Stalled);
  if (stalled?.status === 'True') return stalled.message ?? '';
  if (!repo.status?.artifact) return 'does not have an artifact';
  return undefined;
}

/** The chart folder of an unpacked chart archive: the top folder holding Chart.yaml (Helm strips it). */
async function chartFolder(tree: string): Promise<string> {
  const entries = await readdir(tree, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!e.isDirectory()) continue;
    const names = await readdir(join(tree, e.name));
    if (names.includes('Chart.yaml')) return join(tree, e.name);
  }
  throw new Error('Chart.yaml file is missing');
}

/** The chart of the OCIRepository `namespace/name`, with its digest-tracking version. */
export async function ociReleaseChart(
  d: OciReleaseChartDeps,
  ref: { readonly namespace: string; readonly name: string },
): Promise<ReleaseChart> {
  const key = `${ref.namespace}/${ref.name}`;
  const repo = d.ociRepos.store.get(key);
  if (!repo)
    return {
      kind: 'not-ready',
      reason: HelmReason.ArtifactFailed,
      message: `could not get Source object: ocirepositories.source.toolkit.fluxcd.io "${ref.name}" not found`,
      requeueMs: d.dependencyRequeueMs,
    };
  const why = notReadyMessage(repo);
  const artifact = repo.status?.artifact;
  if (why !== undefined || !artifact)
    return {
      kind: 'not-ready',
      reason: 'SourceNotReady',
      message: `OCIRepository '${key}' is not ready: ${why ?? 'does not have an artifact'}`,
      requeueMs: d.dependencyRequeueMs,
    };
  const tree = d.store.tree(ociArtifactTree(artifact.path));
  if (!tree) {
    d.refreshOciRepository(key);
    const retryMs = 2_000;
    return {
      kind: 'not-ready',
      reason: HelmReason.ArtifactFailed,
      message: `Source not ready: artifact not found. Retrying in ${formatDurationMs(retryMs)}`,
      requeueMs: retryMs,
    };
  }
  let dir: string;
  let meta: { name: string; version: string };
  try {
    dir = await chartFolder(tree);
    meta = chartMeta(await readFile(join(dir, 'Chart.yaml')));
  } catch (err) {
    return {
      kind: 'not-ready',
      reason: HelmReason.ArtifactFailed,
      message: `Could not load chart: ${(err as Error).message}`,
      requeueMs: d.dependencyRequeueMs,
    };
  }
  const mutated = chartVersionWithDigest(meta.version, artifact.revision);
  if (mutated.kind === 'error')
    return {
      kind: 'not-ready',
      reason: 'ChartMutateError',
      message: mutated.message,
      requeueMs: d.dependencyRequeueMs,
    };
  return {
    kind: 'ready',
    dir,
    chartName: meta.name,
    chartVersion: mutated.version,
    ociDigest: mutated.ociDigest,
  };
}
