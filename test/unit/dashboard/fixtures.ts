// Objects and fakes shared by the dashboard's unit tests.

import type { RolloutObject } from '../../../src/cli/rollout-view/index.js';
import type {
  AccessReviewer,
  DashboardStores,
  ResourceAttributes,
  Viewer,
} from '../../../src/dashboard/index.js';
import { ObjectStore } from '../../../src/kube/index.js';

export const T0 = Date.parse('2026-12-06T12:00:00Z');

export function canaryRollout(
  name: string,
  namespace: string,
  status: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
): RolloutObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, generation: 2 },
    spec: {
      replicas: 4,
      template: { spec: { containers: [{ name: 'app', image: 'demo:v2' }] } },
      strategy: {
        canary: {
          steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '30s' } }],
        },
      },
      ...spec,
    },
    status: { observedGeneration: '2', currentPodHash: 'new', stableRS: 'old', ...status },
  } as unknown as RolloutObject;
}

export function emptyStores(): DashboardStores {
  return {
    rollouts: new ObjectStore(),
    applications: new ObjectStore(),
    replicaSets: new ObjectStore(),
    analysisRuns: new ObjectStore(),
  };
}

/** RBAC as a list of `verb resource[/sub] namespace` grants per user; `*` namespace: everywhere. */
export class FakeReviewer implements AccessReviewer {
  readonly asked: ResourceAttributes[] = [];
  constructor(private readonly grants: Readonly<Record<string, readonly string[]>>) {}

  async authenticate(token: string | undefined): Promise<Viewer | undefined> {
    return token !== undefined && token in this.grants ? { username: token, groups: [] } : undefined;
  }

  async can(viewer: Viewer, a: ResourceAttributes): Promise<boolean> {
    this.asked.push(a);
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return (this.grants[viewer.username] ?? []).some((g) => {
      const [verb, res, ns] = g.split(' ');
      return verb === a.verb && res === resource && (ns === '*' || ns === a.namespace);
    });
  }
}
