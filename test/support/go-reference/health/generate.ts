/**
 * Seeded random Kubernetes objects for the health differential test: every kind gitops-engine judges,
 * at supported and unsupported versions, with the fields its checks read set, unset and contradictory,
 * names Go's %q must escape, and objects being deleted (with and without Argo CD's hook finalizer).
 * Fields always have the types the API schema gives them (gitops-engine converts to typed objects).
 */
import { type SeededChoices, seededChoices } from '../../seeded-random.js';

type Obj = Record<string, unknown>;

const NAMES = ['web', 'a"b', 'tab\there', 'ünïcode', 'bell\u0007', 'emoji-🚀', 'back\\slash', 'nl\nx', ''];
const MESSAGES = ['', 'ok', 'quota exceeded', 'line1\nline2', 'Back-off pulling image "x"', '🙂 done'];

function maybe(c: SeededChoices, p: number, v: () => unknown): unknown {
  return c.chance(p) ? v() : undefined;
}

/** Drops undefined members (absent fields), recursively. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
    return out;
  }
  return v;
}

const small = (c: SeededChoices) => c.int(6);

const JUNK = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  '\\',
  'u',
  'x',
  '1',
  '-',
  '.',
  'e',
  '+',
  't',
  'n',
  ' ',
  '\n',
  '\u0001',
  "'",
  'é',
  '🚀',
  '\u0085',
];

/** JSON text, sometimes damaged (a character dropped, replaced or added, or the text cut short). */
function mangled(c: SeededChoices, json: string): string {
  if (c.chance(0.5)) return json;
  const at = c.int(json.length + 1);
  switch (c.int(5)) {
    case 0:
      return json.slice(0, at) + json.slice(at + 1);
    case 1:
      return json.slice(0, at) + c.pick(JUNK) + json.slice(at + 1);
    case 2:
      return json.slice(0, at) + c.pick(JUNK) + json.slice(at);
    case 3:
      return json.slice(0, at);
    default:
      return c.pick([
        '',
        ' ',
        'null',
        '{}',
        '[1]',
        '"x"',
        'true',
        '[{"type":1}]',
        '[{"Type":"AbleToScale","STATUS":"True"}]',
        '01',
        '-',
        '1e',
        '[1,]',
        '{"a" 1}',
        'tru',
        'nul',
        '"\\q"',
        '"\\u12g4"',
      ]);
  }
}

function meta(c: SeededChoices, extra: Obj = {}): Obj {
  const deleting = c.chance(0.05);
  return {
    name: c.pick(NAMES) || 'x',
    namespace: 'ns',
    generation: maybe(c, 0.8, () => c.int(4)),
    ...(deleting && { deletionTimestamp: '2024-01-01T00:00:00Z' }),
    ...(deleting &&
      c.chance(0.5) && { finalizers: [c.pick(['argocd.argoproj.io/hook-finalizer', 'other/finalizer'])] }),
    ...extra,
  };
}

function conditions(
  c: SeededChoices,
  types: readonly string[],
  reasons: readonly string[],
): Obj[] | undefined {
  if (c.chance(0.2)) return undefined;
  return Array.from({ length: c.int(4) }, () => ({
    type: c.pick(types),
    status: c.pick(['True', 'False', 'Unknown']),
    reason: maybe(c, 0.8, () => c.pick(reasons)),
    message: maybe(c, 0.8, () => c.pick(MESSAGES)),
  }));
}

const KINDS: Readonly<Record<string, (c: SeededChoices) => Obj>> = {
  Deployment: (c) => ({
    apiVersion: c.pick(['apps/v1', 'apps/v1', 'apps/v1', 'apps/v1beta2', 'extensions/v1beta1']),
    kind: 'Deployment',
    metadata: meta(c),
    spec: { paused: maybe(c, 0.2, () => c.chance(0.5)), replicas: maybe(c, 0.8, () => small(c)) },
    status: {
      observedGeneration: maybe(c, 0.8, () => c.int(4)),
      replicas: maybe(c, 0.8, () => small(c)),
      updatedReplicas: maybe(c, 0.8, () => small(c)),
      availableReplicas: maybe(c, 0.8, () => small(c)),
      conditions: conditions(
        c,
        ['Progressing', 'Available', 'ReplicaFailure'],
        ['ProgressDeadlineExceeded', 'NewReplicaSetAvailable', 'ReplicaSetUpdated'],
      ),
    },
  }),
  StatefulSet: (c) => {
    const type = c.pick([undefined, 'RollingUpdate', 'OnDelete']);
    return {
      apiVersion: c.pick(['apps/v1', 'apps/v1', 'apps/v1beta1']),
      kind: 'StatefulSet',
      metadata: meta(c),
      spec: {
        replicas: maybe(c, 0.8, () => small(c)),
        updateStrategy: maybe(c, 0.8, () => ({
          type,
          rollingUpdate: maybe(c, 0.6, () => ({ partition: maybe(c, 0.7, () => c.int(4)) })),
        })),
      },
      status: {
        observedGeneration: maybe(c, 0.8, () => c.int(4)),
        readyReplicas: maybe(c, 0.8, () => small(c)),
        updatedReplicas: maybe(c, 0.8, () => small(c)),
        currentReplicas: maybe(c, 0.8, () => small(c)),
        currentRevision: maybe(c, 0.8, () => c.pick(['web-1', 'web-2', 'rev "q"'])),
        updateRevision: maybe(c, 0.8, () => c.pick(['web-1', 'web-2'])),
      },
    };
  },
  DaemonSet: (c) => ({
    apiVersion: c.pick(['apps/v1', 'apps/v1', 'apps/v1beta2', 'extensions/v1beta1']),
    kind: 'DaemonSet',
    metadata: meta(c),
    spec: { updateStrategy: maybe(c, 0.7, () => ({ type: c.pick(['RollingUpdate', 'OnDelete']) })) },
    status: {
      observedGeneration: maybe(c, 0.8, () => c.int(4)),
      updatedNumberScheduled: maybe(c, 0.8, () => small(c)),
      desiredNumberScheduled: maybe(c, 0.8, () => small(c)),
      numberAvailable: maybe(c, 0.8, () => small(c)),
    },
  }),
  ReplicaSet: (c) => ({
    apiVersion: c.pick(['apps/v1', 'apps/v1', 'extensions/v1beta1']),
    kind: 'ReplicaSet',
    metadata: meta(c),
    spec: { replicas: maybe(c, 0.8, () => small(c)) },
    status: {
      observedGeneration: maybe(c, 0.8, () => c.int(4)),
      availableReplicas: maybe(c, 0.8, () => small(c)),
      conditions: conditions(c, ['ReplicaFailure'], ['FailedCreate']),
    },
  }),
  Pod: (c) => {
    const container = (name: string) => ({
      name,
      ready: c.chance(0.5),
      restartCount: c.int(3),
      image: 'img',
      imageID: '',
      state: c.pick([
        undefined,
        { running: {} },
        {
          waiting: {
            reason: maybe(c, 0.9, () =>
              c.pick([
                'ErrImagePull',
                'ImagePullBackOff',
                'CrashLoopBackOff',
                'ContainerCreating',
                'CreateContainerConfigError',
                'PodInitializing',
              ]),
            ),
            message: maybe(c, 0.8, () => c.pick(MESSAGES)),
          },
        },
        {
          terminated: {
            exitCode: c.pick([0, 1, 137, -1]),
            reason: maybe(c, 0.8, () => c.pick(['OOMKilled', 'Error', 'Completed'])),
            message: maybe(c, 0.5, () => c.pick(MESSAGES)),
          },
        },
      ]),
      lastState: c.chance(0.3) ? { terminated: { exitCode: 1, reason: 'Error' } } : {},
    });
    return {
      apiVersion: c.pick(['v1', 'v1', 'v1', 'v2']),
      kind: 'Pod',
      metadata: meta(c),
      spec: { restartPolicy: maybe(c, 0.9, () => c.pick(['Always', 'OnFailure', 'Never'])), containers: [] },
      status: {
        phase: maybe(c, 0.9, () => c.pick(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'])),
        message: maybe(c, 0.4, () => c.pick(MESSAGES)),
        conditions: conditions(c, ['Ready', 'PodScheduled', 'ContainersReady'], ['ContainersNotReady']),
        initContainerStatuses: maybe(c, 0.2, () => [container(c.pick(['init', 'i"n']))]),
        containerStatuses: maybe(c, 0.8, () =>
          Array.from({ length: 1 + c.int(2) }, (_, i) => container(c.pick(['app', 'side"car', `c${i}`]))),
        ),
      },
    };
  },
  Service: (c) => ({
    apiVersion: c.pick(['v1', 'v1', 'v1beta1']),
    kind: 'Service',
    metadata: meta(c),
    spec: { type: maybe(c, 0.8, () => c.pick(['ClusterIP', 'LoadBalancer', 'NodePort', 'ExternalName'])) },
    status: { loadBalancer: c.chance(0.5) ? { ingress: c.chance(0.5) ? [{ ip: '1.2.3.4' }] : [] } : {} },
  }),
  PersistentVolumeClaim: (c) => ({
    apiVersion: c.pick(['v1', 'v1', 'v2']),
    kind: 'PersistentVolumeClaim',
    metadata: meta(c),
    status: { phase: maybe(c, 0.9, () => c.pick(['Pending', 'Bound', 'Lost', 'Weird'])) },
  }),
  Ingress: (c) => ({
    apiVersion: c.pick([
      'networking.k8s.io/v1',
      'networking.k8s.io/v1beta1',
      'extensions/v1beta1',
      'other.io/v1',
    ]),
    kind: 'Ingress',
    metadata: meta(c),
    status: { loadBalancer: c.chance(0.6) ? { ingress: c.chance(0.5) ? [{ hostname: 'lb' }] : [] } : {} },
  }),
  Job: (c) => ({
    apiVersion: c.pick(['batch/v1', 'batch/v1', 'batch/v1beta1']),
    kind: 'Job',
    metadata: meta(c),
    spec: { suspend: maybe(c, 0.3, () => c.chance(0.5)) },
    status: {
      conditions: conditions(
        c,
        ['Complete', 'Failed', 'Suspended', 'FailureTarget', 'SuccessCriteriaMet'],
        ['BackoffLimitExceeded', 'DeadlineExceeded', 'JobSuspended'],
      ),
    },
  }),
  HorizontalPodAutoscaler: (c) => {
    const version = c.pick([
      'autoscaling/v1',
      'autoscaling/v2',
      'autoscaling/v2beta1',
      'autoscaling/v2beta2',
      'autoscaling/v3',
    ]);
    const conds = conditions(
      c,
      ['AbleToScale', 'ScalingActive', 'ScalingLimited'],
      [
        'ReadyForNewScale',
        'FailedGetScale',
        'FailedUpdateScale',
        'FailedGetResourceMetric',
        'InvalidSelector',
        'ValidMetricFound',
        'TooFewReplicas',
      ],
    )?.map((x) => ({ ...x, lastTransitionTime: '2024-01-01T00:00:00Z' }));
    const v1 = version === 'autoscaling/v1';
    return {
      apiVersion: version,
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(c, {
        ...(v1 &&
          conds !== undefined && {
            annotations: { 'autoscaling.alpha.kubernetes.io/conditions': mangled(c, JSON.stringify(conds)) },
          }),
      }),
      spec: { maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'web' } },
      status: { currentReplicas: 1, desiredReplicas: 1, ...(!v1 && { conditions: conds }) },
    };
  },
  APIService: (c) => ({
    apiVersion: c.pick([
      'apiregistration.k8s.io/v1',
      'apiregistration.k8s.io/v1beta1',
      'apiregistration.k8s.io/v2',
    ]),
    kind: 'APIService',
    metadata: meta(c),
    status: {
      conditions: conditions(
        c,
        ['Available', 'Other'],
        ['Passed', 'FailedDiscoveryCheck', 'MissingEndpoints'],
      ),
    },
  }),
  Workflow: (c) => ({
    apiVersion: c.pick(['argoproj.io/v1alpha1', 'argoproj.io/v1beta1']),
    kind: 'Workflow',
    metadata: meta(c),
    status: {
      phase: maybe(c, 0.9, () =>
        c.pick(['', 'Pending', 'Running', 'Succeeded', 'Failed', 'Error', 'Skipped']),
      ),
      message: maybe(c, 0.5, () => c.pick(MESSAGES)),
    },
  }),
  ConfigMap: (c) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(c), data: {} }),
};

/** `count` random objects from `seed`, every kind about equally often. */
export function healthCases(seed: number, count: number): Obj[] {
  const c = seededChoices(seed);
  const kinds = Object.values(KINDS);
  return Array.from({ length: count }, () => clean(c.pick(kinds)(c)) as Obj);
}
