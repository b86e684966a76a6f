import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';
import { parseManifests } from '../../install/index.js';
import type { KubeObject } from '../../kube/index.js';
import { slipwayCacheDir } from '../cluster/index.js';
import { goMissingError, hasGo, runGoBuild } from '../go-build.js';
import { smiCrdToV1 } from './smi-crd.js';

/**
 * Pinned versions of the upstream traffic CRDs, as Go modules on the module proxy. Change them here
 * and in fetch-traffic-crds.sh together.
 */
export const TrafficCrdVersions = {
  /** istio.io/api: VirtualService, DestinationRule (networking.istio.io v1, v1beta1, v1alpha3). */
  istio: 'v1.32.0',
  /** sigs.k8s.io/gateway-api: HTTPRoute, GRPCRoute, TCPRoute, Gateway, GatewayClass, ReferenceGrant. */
  gatewayApi: 'v1.6.3',
  /** github.com/servicemeshinterface/smi-sdk-go (the version Argo Rollouts requires): TrafficSplit. */
  smi: 'v0.5.0',
} as const;

/** Gateway API release channel: experimental is a superset (e.g. TCPRoute v1alpha2, as Argo's plugin writes). */
export type GatewayApiChannel = 'standard' | 'experimental';

/** The CRDs installed, by name, per source. */
const ISTIO_CRDS = ['virtualservices.networking.istio.io', 'destinationrules.networking.istio.io'];
const GATEWAY_API_KINDS = [
  'gatewayclasses',
  'gateways',
  'httproutes',
  'grpcroutes',
  'tcproutes',
  'referencegrants',
];
const SMI_CRDS = ['trafficsplits.split.smi-spec.io'];

export interface TrafficCrdOptions {
  /** Default: `$SLIPWAY_CACHE` or ~/.cache/slipway; the CRDs live under its `crds/`. */
  readonly cacheDir?: string;
  /** Default: experimental. */
  readonly gatewayApiChannel?: GatewayApiChannel;
  readonly onProgress?: ((line: string) => void) | undefined;
}

/** The published files the traffic CRDs come from (they exist once `ensureTrafficCrds` ran). */
export function trafficCrdPaths(options: TrafficCrdOptions = {}): string[] {
  const crds = join(options.cacheDir ?? slipwayCacheDir(), 'crds');
  const v = TrafficCrdVersions;
  const gateway = join(crds, `gateway-api-${v.gatewayApi}`, options.gatewayApiChannel ?? 'experimental');
  return [
    join(crds, `istio-${v.istio}`, 'customresourcedefinitions.gen.yaml'),
    ...GATEWAY_API_KINDS.map((k) => join(gateway, `gateway.networking.k8s.io_${k}.yaml`)),
    join(crds, `smi-${v.smi}`, 'split.yaml'),
  ];
}

const fetchScript = fileURLToPath(new URL('./fetch-traffic-crds.sh', import.meta.url));
const WHAT = 'the upstream traffic CRDs (Istio, Gateway API, SMI)';

/**
 * Returns the paths of the published CRD files, fetching the pinned modules from the Go module proxy
 * first when any is missing (small zips, seconds; cached). Fails with a clear message without Go.
 */
export async function ensureTrafficCrds(options: TrafficCrdOptions = {}): Promise<string[]> {
  const paths = trafficCrdPaths(options);
  if (paths.every((p) => existsSync(p))) return paths;
  if (!hasGo()) throw goMissingError(WHAT);
  await runGoBuild({
    script: fetchScript,
    name: 'fetch-traffic-crds',
    what: WHAT,
    failureCode: 'DEV_TRAFFIC_CRDS_FETCH',
    env: {
      ISTIO_API_VERSION: TrafficCrdVersions.istio,
      GATEWAY_API_VERSION: TrafficCrdVersions.gatewayApi,
      SMI_SDK_VERSION: TrafficCrdVersions.smi,
      SLIPWAY_CACHE: options.cacheDir ?? slipwayCacheDir(),
    },
    onProgress: options.onProgress,
  });
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0)
    throw new SlipwayError(
      'DEV_TRAFFIC_CRDS_SOURCE',
      `the pinned modules lack ${missing.join(', ')}; check the versions in TrafficCrdVersions`,
    );
  return paths;
}

/**
 * The CustomResourceDefinitions to install, read from the published files: Istio's VirtualService and
 * DestinationRule, the Gateway API kinds of the channel, and SMI's TrafficSplit (converted to
 * apiextensions v1, see smi-crd.ts). Fails when a file lacks an expected CRD.
 */
export function loadTrafficCrds(paths: readonly string[]): KubeObject[] {
  const crds: KubeObject[] = [];
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    const istio = path.endsWith('customresourcedefinitions.gen.yaml');
    const objects = parseCached(istio ? documentsNaming(text, ISTIO_CRDS) : text, path).filter(
      (o) => o.kind === 'CustomResourceDefinition',
    );
    if (istio) crds.push(...pick(objects, ISTIO_CRDS, path));
    else if (path.endsWith('split.yaml'))
      crds.push(...pick(objects, SMI_CRDS, path).map((o) => smiCrdToV1(o, path)));
    else crds.push(...pick(objects, [], path));
  }
  return crds;
}

/**
 * `parseManifests`, remembered next to the source as JSON keyed by the text's digest: these CRDs are
 * some 20,000 lines of YAML, seconds to parse on a loaded machine, and every test run reads them.
 */
function parseCached(text: string, path: string): KubeObject[] {
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const cached = `${path}.${digest}.json`;
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as KubeObject[];
  } catch {
    /* not parsed yet, or unreadable: parse */
  }
  const objects = parseManifests(text, path);
  try {
    writeFileSync(`${cached}.${process.pid}.tmp`, JSON.stringify(objects));
    renameSync(`${cached}.${process.pid}.tmp`, cached);
  } catch {
    /* a read-only cache only costs the parse */
  }
  return objects;
}

/**
 * The documents of a multi-document YAML text that contain a `name: <one of names>` line: Istio's
 * file holds about twenty large CRDs and parsing all of them takes seconds; two are needed.
 */
function documentsNaming(text: string, names: readonly string[]): string {
  const lines = names.map((n) => `name: ${n}`);
  return text
    .split(/^---[ \t]*$/m)
    .filter((doc) => doc.split('\n').some((l) => lines.includes(l.trim())))
    .join('\n---\n');
}

/** The named CRDs of a file (all of them when `names` is empty); each named one must be there. */
function pick(objects: readonly KubeObject[], names: readonly string[], path: string): KubeObject[] {
  if (names.length === 0) {
    if (objects.length === 0)
      throw new SlipwayError('DEV_TRAFFIC_CRDS_SOURCE', `${path} has no CustomResourceDefinition`);
    return [...objects];
  }
  return names.map((name) => {
    const crd = objects.find((o) => o.metadata.name === name);
    if (!crd) throw new SlipwayError('DEV_TRAFFIC_CRDS_SOURCE', `${path} has no CRD ${name}`);
    return crd;
  });
}
