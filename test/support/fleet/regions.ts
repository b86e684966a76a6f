import { stringify } from 'yaml';
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';

/** One region of issue 17's seed ApplicationSet, and whether its canary analysis passes. */
export interface FleetRegion {
  readonly cluster: string;
  readonly region: string;
  readonly analysisPasses: boolean;
}

/** The seed's three regions: region 2's analysis fails, so a release must stop before region 3. */
export const FLEET_REGIONS: readonly FleetRegion[] = [
  { cluster: 'tokyo', region: 'ap-northeast-1', analysisPasses: true },
  { cluster: 'ireland', region: 'eu-west-1', analysisPasses: false },
  { cluster: 'virginia', region: 'us-east-1', analysisPasses: true },
];

/** A region given a place to run: the destination its Application syncs to and a client of that cluster. */
export interface PlacedRegion extends FleetRegion {
  /** `destination.server` (the in-cluster address, or a registered cluster's URL). */
  readonly server: string;
  /** `destination.namespace`. */
  readonly namespace: string;
  /** A client of the cluster the region's objects live in (to watch its Rollout). */
  readonly client: KubeClient;
}

export const ROLLOUT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
export const ANALYSIS_RUN = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

export const appName = (r: FleetRegion) => `web-app-${r.cluster}`;
export const rolloutName = (r: FleetRegion) => `web-${r.cluster}`;

/**
 * One region's overlay: its Rollout (a canary with an analysis step) and its AnalysisTemplate, whose
 * web metric asks `${metricsBase}/<cluster>`.
 */
export function regionFiles(r: FleetRegion, version: string, metricsBase: string): Record<string, string> {
  return {
    [`production/web-app/overlays/${r.region}/rollout.yaml`]: stringify({
      ...ROLLOUT,
      metadata: { name: rolloutName(r) },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: rolloutName(r) } },
        template: {
          metadata: { labels: { app: rolloutName(r) } },
          spec: { containers: [{ name: 'web', image: `web-app:${version}` }] },
        },
        strategy: {
          canary: {
            steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: `check-${r.cluster}` }] } }],
          },
        },
      },
    }),
    [`production/web-app/overlays/${r.region}/analysis.yaml`]: stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: `check-${r.cluster}` },
      spec: {
        metrics: [
          {
            name: 'error-budget',
            count: 2,
            interval: '2s',
            successCondition: 'result.ok == true',
            provider: {
              web: { url: `${metricsBase}/${r.cluster}`, jsonPath: '{$.data}', timeoutSeconds: 5 },
            },
          },
        ],
      },
    }),
  };
}

/** Every region's overlay at `version`. */
export function fleetFiles(
  regions: readonly FleetRegion[],
  version: string,
  metricsBase: string,
): Record<string, string> {
  return Object.assign({}, ...regions.map((r) => regionFiles(r, version, metricsBase))) as Record<
    string,
    string
  >;
}

/**
 * The seed ApplicationSet (issue 17's appendix) with the regions' real destinations, a RollingSync step
 * per region, automated sync on, and every Application subscribed to on-health-degraded in Slack.
 */
export function rollingSyncSpec(
  regions: readonly PlacedRegion[],
  repoURL: string,
  slackChannel: string,
): Record<string, unknown> {
  return {
    generators: [
      {
        list: {
          elements: regions.map((r) => ({
            cluster: r.cluster,
            url: r.server,
            region: r.region,
            namespace: r.namespace,
          })),
        },
      },
    ],
    strategy: {
      type: 'RollingSync',
      rollingSync: {
        steps: regions.map((r) => ({
          matchExpressions: [{ key: 'region', operator: 'In', values: [r.region] }],
        })),
      },
    },
    template: {
      metadata: {
        name: 'web-app-{{cluster}}',
        labels: { region: '{{region}}' },
        annotations: { 'notifications.argoproj.io/subscribe.on-health-degraded.slack': slackChannel },
      },
      spec: {
        project: 'default',
        source: { repoURL, targetRevision: 'HEAD', path: 'production/web-app/overlays/{{region}}' },
        destination: { server: '{{url}}', namespace: '{{namespace}}' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    },
  };
}

/** What a region runs, as its own cluster says. */
export interface RolloutView {
  readonly image: string;
  readonly phase: string;
  readonly generationObserved: boolean;
}

export type RolloutObject = KubeObject & {
  spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
  status?: {
    phase?: string;
    observedGeneration?: string | number;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
};

/** The region's Rollout in its cluster, or undefined (absent, or the cluster did not answer). */
export function rolloutObject(r: PlacedRegion): Promise<RolloutObject | undefined> {
  return r.client
    .get<RolloutObject>({ ...ROLLOUT, namespace: r.namespace, name: rolloutName(r) })
    .catch(() => undefined);
}

export async function rolloutView(r: PlacedRegion): Promise<RolloutView | undefined> {
  const obj = await rolloutObject(r);
  if (obj === undefined) return undefined;
  return {
    image: obj.spec?.template?.spec?.containers?.[0]?.image ?? '',
    phase: obj.status?.phase ?? '',
    generationObserved:
      String(obj.status?.observedGeneration ?? '') === String(obj.metadata.generation ?? ''),
  };
}

/** The phases of the region's AnalysisRuns, in its cluster. */
export async function analysisRunPhases(r: PlacedRegion): Promise<string[]> {
  const { items } = await r.client.list<KubeObject & { status?: { phase?: string } }>(ANALYSIS_RUN, {
    namespace: r.namespace,
  });
  return items
    .filter((a) => a.metadata.name?.startsWith(`${rolloutName(r)}-`))
    .map((a) => a.status?.phase ?? '');
}
