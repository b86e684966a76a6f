// Rollout-level SMI: the Rollout creates and owns a TrafficSplit (`split.smi-spec.io/v1alpha1`, Argo's
// default version) whose canary and stable backends follow the steps; abort returns it to 100/0 first.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/index.js';
import { describeRoutedCanary, ROUTED_ROLLOUT } from '../support/traffic/routed-canary.js';

const TRAFFIC_SPLIT = { apiVersion: 'split.smi-spec.io/v1alpha1', kind: 'TrafficSplit' } as const;

/** `stable/canary` from the TrafficSplit's backends (v1alpha1 weights are quantities: "20"). */
function splitWeights(ts: KubeObject | undefined): string {
  const backends = ((ts?.spec as { backends?: { service: string; weight: string | number }[] } | undefined)
    ?.backends ?? []) as { service: string; weight: string | number }[];
  if (backends.length === 0) return '100/0';
  const of = (service: string) => Number(backends.find((b) => b.service === service)?.weight ?? 0);
  return `${of('web-stable')}/${of('web-canary')}`;
}

describeRoutedCanary({
  title: 'rollouts: a canary routed by an SMI TrafficSplit',
  prefix: 'ro-smi',
  crds: ['trafficsplits.split.smi-spec.io'],
  kinds: [TRAFFIC_SPLIT],
  routed: { kind: 'TrafficSplit', name: 'web-split', read: splitWeights },
  setup: async () => {},
  canary: () => ({ trafficRouting: { smi: { trafficSplitName: 'web-split', rootService: 'web' } } }),
  async atPause(m) {
    const ts = await m.client.get({ ...TRAFFIC_SPLIT, namespace: m.namespace, name: 'web-split' });
    assert.equal((ts.spec as { service?: string }).service, 'web', 'the root Service');
    const owner = ts.metadata.ownerReferences?.find((o) => o.controller === true);
    assert.equal(owner?.kind, 'Rollout');
    assert.equal(owner?.name, ROUTED_ROLLOUT);
  },
});
