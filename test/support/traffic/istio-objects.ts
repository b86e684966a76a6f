// Istio objects for Rollout-level scenarios: a VirtualService with one `primary` HTTP route, split between
// hosts (host-level) or between subsets of one host (subset-level), and how to read its weights and routes.
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import { DESTINATION_RULE, VIRTUAL_SERVICE } from '../../../src/rollouts/traffic/istio/index.js';

type Json = Record<string, unknown>;
interface Destination {
  readonly destination: { readonly host: string; readonly subset?: string };
  readonly weight?: number;
}

export const VS_NAME = 'web-vs';
export const DR_NAME = 'web-dr';

/** The VirtualService's HTTP routes. */
export const httpRoutesOf = (vs: KubeObject | undefined): Json[] =>
  ((vs?.spec as Json | undefined)?.http as Json[] | undefined) ?? [];

/** Reads `stable/canary` from the `primary` route, by host or by subset. */
export function primaryWeights(by: 'host' | 'subset') {
  return (vs: KubeObject | undefined): string => {
    const primary = httpRoutesOf(vs).find((r) => r.name === 'primary');
    const route = (primary?.route as Destination[] | undefined) ?? [];
    const of = (target: string) =>
      route.find((d) => (by === 'host' ? d.destination.host : d.destination.subset) === target)?.weight ?? 0;
    return by === 'host' ? `${of('web-stable')}/${of('web-canary')}` : `${of('stable')}/${of('canary')}`;
  };
}

/**
 * Creates the VirtualService `name` (and for subsets the DestinationRule with `stable` and `canary`
 * subsets): one `primary` route, all traffic on the stable side.
 */
export async function createIstioObjects(
  client: KubeClient,
  namespace: string,
  by: 'host' | 'subset',
  name = VS_NAME,
): Promise<void> {
  const to = (name: string, weight: number): Destination =>
    by === 'host'
      ? { destination: { host: `web-${name}` }, weight }
      : { destination: { host: 'web', subset: name }, weight };
  await client.create({
    ...VIRTUAL_SERVICE,
    metadata: { name, namespace },
    spec: {
      hosts: ['web.example.com'],
      http: [{ name: 'primary', route: [to('stable', 100), to('canary', 0)] }],
    },
  });
  if (by === 'subset')
    await client.create({
      ...DESTINATION_RULE,
      metadata: { name: DR_NAME, namespace },
      spec: { host: 'web', subsets: [{ name: 'stable' }, { name: 'canary' }] },
    });
}

export const getVirtualService = (client: KubeClient, namespace: string) =>
  client.get({ ...VIRTUAL_SERVICE, namespace, name: VS_NAME });

/** The `rollouts-pod-template-hash` each DestinationRule subset selects. */
export async function subsetHashes(client: KubeClient, namespace: string): Promise<Record<string, string>> {
  const dr = await client.get({ ...DESTINATION_RULE, namespace, name: DR_NAME });
  const subsets = ((dr.spec as Json).subsets as { name: string; labels?: Record<string, string> }[]) ?? [];
  return Object.fromEntries(subsets.map((s) => [s.name, s.labels?.['rollouts-pod-template-hash'] ?? '']));
}
