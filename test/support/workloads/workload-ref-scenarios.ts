// Argo Rollouts v1.10.1's functional workloadRef e2e cases (test/e2e/functional_test.go: TestScaleDownOnSuccess,
// TestScaleDownProgressively, TestScaleDownProgressivelyCompleted, TestScaleDownProgressivelyCompletedCanary,
// TestNeverScaleDown) as scenarios that run on one namespace under whichever controller watches it, so
// the same steps can be asserted against Argo's expectations and compared with Argo's own controller.
// Each checkpoint records the Rollout's phase and replica counts and the Deployment's replicas, plus
// every Deployment `spec.replicas` value sampled while the step ran (a Deployment scaled up and back
// down between two reads would otherwise go unseen).
import { isNotFound, type KubeClient, type KubeObject } from '../../../src/kube/index.js';
import { promoteRollout } from '../../../src/rollouts/index.js';
import { getRollout, ROLLOUT, type RolloutObject } from '../fixtures/rollout-scenario.js';
import { eventually } from '../kube.js';

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
const WAIT = 120_000;

export interface WorkloadWorld {
  readonly client: KubeClient;
  readonly namespace: string;
}

export type ScaleDownMode = 'never' | 'onsuccess' | 'progressively';

export interface WorkloadCheckpoint {
  readonly at: string;
  readonly summary: string;
}

function deployment(namespace: string, name: string, replicas: number): KubeObject {
  return {
    ...DEPLOYMENT,
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'rollouts-demo',
              image: 'argoproj/rollouts-demo:green',
              resources: { requests: { memory: '16Mi', cpu: '1m' } },
            },
          ],
        },
      },
    },
  };
}

function service(
  namespace: string,
  name: string,
  app: string,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, ...(annotations && { annotations }) },
    spec: { selector: { app }, ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] },
  };
}

const blueGreen = (active: string) => ({ blueGreen: { activeService: active } });
const CANARY_STEPS = {
  canary: {
    maxSurge: 1,
    maxUnavailable: 0,
    steps: [
      { setWeight: 25 },
      { pause: { duration: '2s' } },
      { setWeight: 50 },
      { pause: { duration: '2s' } },
      { setWeight: 75 },
      { pause: { duration: '2s' } },
    ],
  },
};

/** Samples the Deployment's `spec.replicas` every 100 ms until `stop` resolves; returns the values seen. */
async function sampleDeployment<T>(
  w: WorkloadWorld,
  name: string,
  during: () => Promise<T>,
): Promise<[T, number[]]> {
  const seen: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const d = await w.client.get({ ...DEPLOYMENT, namespace: w.namespace, name }).catch((err: unknown) => {
        if (isNotFound(err)) return undefined; // not created yet
        throw err;
      });
      const r = (d?.spec as { replicas?: number } | undefined)?.replicas;
      if (r !== undefined && seen.at(-1) !== r) seen.push(r);
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  try {
    const value = await during();
    return [value, seen];
  } finally {
    done = true;
    await sampler;
  }
}

const counts = (r: RolloutObject) => {
  const s = r.status ?? {};
  return `phase=${s.phase ?? ''} replicas=${s.replicas ?? 0}/${s.updatedReplicas ?? 0}/${s.readyReplicas ?? 0}/${s.availableReplicas ?? 0}`;
};

async function rolloutReaches(
  w: WorkloadWorld,
  name: string,
  what: string,
  check: (r: RolloutObject) => boolean,
) {
  return eventually(
    `rollout ${name} ${what}`,
    async () => {
      const r = await getRollout(w.client, w.namespace, name);
      return check(r) ? r : undefined;
    },
    WAIT,
    200,
  );
}

const settle = () => new Promise((res) => setTimeout(res, 3_000));

/** One checkpoint: run `step`, wait for `check`, settle 3 s (as Argo's tests sleep), record. */
async function checkpoint(
  w: WorkloadWorld,
  name: string,
  at: string,
  step: () => Promise<unknown>,
  check: (r: RolloutObject) => boolean,
  recordSeen = true,
): Promise<WorkloadCheckpoint> {
  const [r, seen] = await sampleDeployment(w, name, async () => {
    await step();
    await rolloutReaches(w, name, at, check);
    await settle();
    return getRollout(w.client, w.namespace, name);
  });
  const d = await w.client.get({ ...DEPLOYMENT, namespace: w.namespace, name });
  return {
    at,
    // the values in between depend on pod timing; whether it moved at all does not
    summary: `${counts(r)} deployment=${(d.spec as { replicas?: number }).replicas}${recordSeen ? ` moved=${seen.length > 1} max=${Math.max(...seen)}` : ''}`,
  };
}

/** Revision 2 promoted: the status (not only the annotation) names revision 2's ReplicaSet stable. */
const isOnRevisionTwo = (r: RolloutObject) =>
  r.metadata.annotations?.['rollout.argoproj.io/revision'] === '2' &&
  r.status?.stableRS !== undefined &&
  r.status.stableRS === r.status.currentPodHash &&
  r.status.stableRS !== revisionOneHash.get(`${r.metadata.namespace}/${r.metadata.name}`);

/** Revision 1's pod-template hash per Rollout, recorded before revision 2 starts. */
const revisionOneHash = new Map<string, string>();

async function rememberRevisionOne(w: WorkloadWorld, name: string): Promise<void> {
  const r = await getRollout(w.client, w.namespace, name);
  revisionOneHash.set(`${w.namespace}/${name}`, r.status?.stableRS ?? '');
}

const healthyAt = (n: number) => (r: RolloutObject) =>
  r.status?.phase === 'Healthy' && r.status.availableReplicas === n && r.status.replicas === n;

const scaleRollout = (w: WorkloadWorld, name: string, replicas: number) =>
  w.client.patch(
    { ...ROLLOUT, namespace: w.namespace, name },
    [{ op: 'replace', path: '/spec/replicas', value: replicas }],
    { type: 'json' },
  );

const touchDeployment = (w: WorkloadWorld, name: string, stamp: string) =>
  w.client.patch(
    { ...DEPLOYMENT, namespace: w.namespace, name },
    { spec: { template: { metadata: { annotations: { update: stamp } } } } },
    { type: 'merge' },
  );

/**
 * TestScaleDownOnSuccess / TestScaleDownProgressively / TestNeverScaleDown (blue-green, 2 replicas, the
 * Deployment at 2), extended as TestScaleDownProgressivelyCompleted: the Rollout scaled to 6 and to 2
 * (a KEDA/HPA-like scaling event) and a template change of the Deployment (revision 2).
 */
export async function blueGreenScaleDown(
  w: WorkloadWorld,
  mode: ScaleDownMode,
): Promise<WorkloadCheckpoint[]> {
  const name = `bg-${mode}`;
  const active = `${name}-active`;
  const ns = w.namespace;
  const out: WorkloadCheckpoint[] = [];
  out.push(
    await checkpoint(
      w,
      name,
      'revision 1 Healthy',
      async () => {
        await w.client.create(
          service(
            ns,
            active,
            name,
            mode === 'never' ? { 'rollout.argoproj.io/scale-down': 'never' } : undefined,
          ),
        );
        await w.client.create(deployment(ns, name, 2));
        await w.client.create({
          ...ROLLOUT,
          metadata: { name, namespace: ns },
          spec: {
            replicas: 2,
            workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name, scaleDown: mode },
            strategy: blueGreen(active),
          },
        });
      },
      healthyAt(2),
      // how a Deployment steps down while the first revision comes up depends on pod timing
      false,
    ),
  );
  out.push(await checkpoint(w, name, 'scaled to 6', () => scaleRollout(w, name, 6), healthyAt(6)));
  out.push(await checkpoint(w, name, 'scaled to 2', () => scaleRollout(w, name, 2), healthyAt(2)));
  out.push(
    await checkpoint(
      w,
      name,
      'revision 2 Healthy',
      async () => {
        await rememberRevisionOne(w, name);
        await touchDeployment(w, name, 'r2');
      },
      (r) => healthyAt(2)(r) && isOnRevisionTwo(r),
    ),
  );
  return out;
}

/** TestScaleDownProgressivelyCompletedCanary: 4 replicas, canary steps, scaled to 8, then revision 2 promoted through. */
export async function canaryScaleDownProgressively(w: WorkloadWorld): Promise<WorkloadCheckpoint[]> {
  const name = 'canary-progressively';
  const ns = w.namespace;
  const out: WorkloadCheckpoint[] = [];
  out.push(
    await checkpoint(
      w,
      name,
      'revision 1 Healthy',
      async () => {
        await w.client.create(service(ns, `${name}-active`, name));
        await w.client.create({
          ...ROLLOUT,
          metadata: { name, namespace: ns },
          spec: {
            replicas: 4,
            selector: { matchLabels: { app: name } },
            workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name, scaleDown: 'progressively' },
            strategy: CANARY_STEPS,
          },
        });
        await w.client.create(deployment(ns, name, 4));
      },
      healthyAt(4),
      false,
    ),
  );
  out.push(await checkpoint(w, name, 'scaled to 8', () => scaleRollout(w, name, 8), healthyAt(8)));
  out.push(
    await checkpoint(
      w,
      name,
      'revision 2 Healthy',
      async () => {
        await rememberRevisionOne(w, name);
        await touchDeployment(w, name, 'r2');
        // the steps' pauses have durations; promote as Argo's test does if one holds
        for (let i = 0; i < 3; i++) {
          const paused = await rolloutReaches(
            w,
            name,
            'paused or done',
            (r) =>
              ['Paused', 'Healthy'].includes(r.status?.phase ?? '') &&
              r.metadata.annotations?.['rollout.argoproj.io/revision'] === '2',
          );
          if (paused.status?.phase === 'Healthy') break;
          await promoteRollout(w.client, { namespace: ns, name }).catch(() => undefined);
        }
      },
      (r) => healthyAt(8)(r) && isOnRevisionTwo(r),
    ),
  );
  return out;
}

/** The Rollout as TestWorkloadRef checks it: phase, conditions with messages, workload generation, spec left empty. */
function lifecycleSummary(r: RolloutObject, activeSelector: Record<string, string> | undefined): string {
  const s = r.status ?? {};
  const conditions = (s.conditions ?? [])
    .map((c) => `${c.type}=${c.status}/${c.reason}${c.type === 'InvalidSpec' ? `:${c.message}` : ''}`)
    .sort()
    .join(',');
  const template = r.spec?.template as { spec?: { containers?: unknown[] } } | undefined;
  const hashed = activeSelector?.['rollouts-pod-template-hash'] !== undefined;
  return [
    `phase=${s.phase ?? ''}`,
    `workloadObservedGeneration=${s.workloadObservedGeneration ?? ''}`,
    `conditions=[${conditions}]`,
    `spec.selector=${r.spec?.selector === undefined ? 'none' : 'set'}`,
    `spec.template.containers=${template?.spec?.containers?.length ?? 0}`,
    `active=${activeSelector?.app ?? ''}${hashed ? '+hash' : ''}`,
  ].join(' ');
}

/**
 * TestWorkloadRef (blue-green, progressDeadlineSeconds 5): the Rollout before its Deployment exists, with
 * it, with a template whose image never pulls (`argoproj/rollouts-demo:error` runs under kwok, so a
 * `nonexistent…` image stands in), fixed, pointed at a missing Deployment and back, then switched to an
 * inline template; and TestWorkloadRefTemplate (a template next to the reference).
 */
export async function blueGreenWorkloadRefLifecycle(w: WorkloadWorld): Promise<WorkloadCheckpoint[]> {
  const name = 'rollout-ref-deployment';
  const active = 'rollout-bluegreen-active';
  const ns = w.namespace;
  const at = { ...ROLLOUT, namespace: ns, name };
  const out: WorkloadCheckpoint[] = [];
  const record = async (label: string, check: (r: RolloutObject) => boolean) => {
    const r = await rolloutReaches(w, name, label, check);
    await settle();
    const svc = await w.client.get({ apiVersion: 'v1', kind: 'Service', namespace: ns, name: active });
    const selector = (svc.spec as { selector?: Record<string, string> }).selector;
    // messages name the namespace (namespace/name), which differs between the two worlds
    const summary = lifecycleSummary(await getRollout(w.client, ns, name), selector).replaceAll(
      `${ns}/`,
      'NS/',
    );
    out.push({ at: label, summary });
    return r;
  };
  const phaseIs = (phase: string) => (r: RolloutObject) => r.status?.phase === phase;
  const setImage = (image: string) =>
    w.client.patch(
      { ...DEPLOYMENT, namespace: ns, name },
      { spec: { template: { spec: { containers: [{ name: 'rollouts-demo', image }] } } } },
      { type: 'merge' },
    );

  await w.client.create(service(ns, active, name));
  await w.client.create({
    ...ROLLOUT,
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      progressDeadlineSeconds: 5,
      revisionHistoryLimit: 2,
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      strategy: blueGreen(active),
    },
  });
  await record('no Deployment yet', phaseIs('Degraded'));
  const d = deployment(ns, name, 0);
  await w.client.create(d);
  await record(
    'Deployment created',
    (r) => phaseIs('Healthy')(r) && r.status?.workloadObservedGeneration === '1',
  );
  await setImage('argoproj/rollouts-demo:nonexistent');
  await record('bad image', (r) => phaseIs('Degraded')(r) && r.status?.workloadObservedGeneration === '2');
  await setImage('argoproj/rollouts-demo:blue');
  await record('fixed image', (r) => phaseIs('Healthy')(r) && r.status?.workloadObservedGeneration === '3');
  await w.client.patch(at, { spec: { workloadRef: { name: 'non-existent-deploy' } } }, { type: 'merge' });
  await record('pointed at a missing Deployment', phaseIs('Degraded'));
  await w.client.patch(at, { spec: { workloadRef: { name } } }, { type: 'merge' });
  await record(
    'pointed back',
    (r) => phaseIs('Healthy')(r) && !r.status?.conditions?.some((c) => c.type === 'InvalidSpec'),
  );
  const current = await w.client.get({ ...DEPLOYMENT, namespace: ns, name });
  const spec = current.spec as { selector: unknown; template: unknown };
  await w.client.patch(
    at,
    { spec: { workloadRef: null, selector: spec.selector, template: spec.template } },
    { type: 'merge' },
  );
  await record(
    'inline template',
    (r) => phaseIs('Healthy')(r) && r.status?.workloadObservedGeneration === undefined,
  );

  // TestWorkloadRefTemplate
  const both = 'rollout-ref-and-template';
  await w.client.create({
    ...ROLLOUT,
    metadata: { name: both, namespace: ns },
    spec: {
      replicas: 1,
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      selector: { matchLabels: { app: 'rollout-demo-deploy' } },
      template: { metadata: { labels: { app: name } } },
      strategy: blueGreen(active),
    },
  });
  await rolloutReaches(w, both, 'Degraded', phaseIs('Degraded'));
  await settle();
  out.push({
    at: 'template next to the reference',
    summary: lifecycleSummary(await getRollout(w.client, ns, both), undefined).replace(/ active=.*$/, ''),
  });
  return out;
}
