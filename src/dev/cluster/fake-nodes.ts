import { isAlreadyExists, type KubeClient, type KubeObject } from '../../kube/index.js';

/** A Node that kwok manages (annotation `kwok.x-k8s.io/node: fake`), sized for benchmarks. */
export function fakeNode(name: string): KubeObject {
  const capacity = { cpu: '64', memory: '512Gi', pods: '2000' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      allocatable: capacity,
      capacity,
      nodeInfo: { kubeletVersion: 'fake', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

export function isNodeReady(node: KubeObject): boolean {
  const conditions = (node.status as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function createFakeNodes(client: KubeClient, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `kwok-node-${i}`);
  await Promise.all(
    names.map((n) =>
      client.create(fakeNode(n)).catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      }),
    ),
  );
  return names;
}
