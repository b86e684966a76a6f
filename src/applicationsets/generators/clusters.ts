/**
 * The clusters generator: one parameter set per Argo CD cluster Secret the selector matches, plus
 * the implicit `in-cluster` (https://kubernetes.default.svc) when the selector is empty and no
 * Secret names that server, as Argo CD's ClusterGenerator. Secrets are only read here; nothing
 * connects to the clusters.
 */
import { matchesMetaLabelSelector } from '../../kube/index.js';
import { ApplicationSetError, ApplicationSetErrorCode } from '../errors.js';
import { sanitizeName } from '../params.js';
import { type ClusterGenerator, IN_CLUSTER_NAME, IN_CLUSTER_SERVER, type Params } from '../types.js';
import type { ClusterSecret, GeneratorContext } from './context.js';
import { appendTemplatedValues } from './values.js';

function clusterParams(cluster: ClusterSecret, ctx: GeneratorContext): Record<string, unknown> {
  const params: Record<string, unknown> = {
    name: cluster.name,
    nameNormalized: sanitizeName(cluster.name),
    server: cluster.server,
    project: cluster.project ?? '',
  };
  if (ctx.mode.goTemplate) {
    const metadata: Record<string, unknown> = {};
    if (Object.keys(cluster.annotations).length > 0) metadata.annotations = { ...cluster.annotations };
    if (Object.keys(cluster.labels).length > 0) metadata.labels = { ...cluster.labels };
    params.metadata = metadata;
  } else {
    for (const [k, v] of Object.entries(cluster.annotations)) params[`metadata.annotations.${k}`] = v;
    for (const [k, v] of Object.entries(cluster.labels)) params[`metadata.labels.${k}`] = v;
  }
  return params;
}

export function generateClusters(spec: ClusterGenerator, ctx: GeneratorContext): Params[] {
  const selector = spec.selector ?? {};
  const hasSelector =
    Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0;
  const all = ctx.clusterSecrets();
  // one entry per cluster name (the last Secret of a name wins, as upstream's map), sorted by name
  const byName = new Map<string, ClusterSecret>();
  for (const s of all)
    if (!hasSelector || matchesMetaLabelSelector(selector, s.labels)) byName.set(s.name, s);
  const out: Record<string, unknown>[] = [];
  const withValues = (params: Record<string, unknown>) => {
    try {
      appendTemplatedValues(spec.values, params, ctx);
    } catch (err) {
      throw new ApplicationSetError(
        ApplicationSetErrorCode.Generator,
        `error appending templated values for cluster: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return params;
  };
  for (const name of [...byName.keys()].sort()) out.push(withValues(clusterParams(byName.get(name)!, ctx)));
  if (!hasSelector && !all.some((s) => s.server === IN_CLUSTER_SERVER)) {
    out.push(
      withValues({
        name: IN_CLUSTER_NAME,
        nameNormalized: IN_CLUSTER_NAME,
        server: IN_CLUSTER_SERVER,
        project: '',
      }),
    );
  }
  return spec.flatList === true ? [{ clusters: out }] : out;
}
