// Argo Rollouts v1.10.1's experiment examples (test/fixtures/argo-examples) driven end to end on one
// namespace by whichever controller watches it (Slipway's, or Argo's own), with summaries of the world at
// each checkpoint, so the same scenario can be asserted against Argo's expected values and compared with
// what Argo's controller does. Adaptations (kwok runs every image; the analysis is a Job that kwok runs):
// `random-fail` flips a coin in a shell; here the coin is fixed per scenario (`exit 1` or `exit 0`), and a
// scenario's manifests name the template for the side it wants.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { Experiment } from '../../../src/experiments/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../../src/kube/index.js';
import { promoteRollout } from '../../../src/rollouts/index.js';
import { getRollout, type RolloutObject, setImage } from '../fixtures/rollout-scenario.js';
import { eventually } from '../kube.js';

export const EX = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment' } as const;
const WAIT = 120_000;

/** The namespace a scenario runs in and the client to the cluster. */
export interface ExampleWorld {
  readonly client: KubeClient;
  readonly namespace: string;
}

const examplesDir = new URL('../../fixtures/argo-examples/', import.meta.url);

/** The documents of one upstream example file. */
export function readExample(file: string): KubeObject[] {
  const text = readFileSync(new URL(file, examplesDir), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

export type Coin = 'heads' | 'tails';

/** `random-fail` with its coin fixed: tails fails every measurement (`exit 1`), heads passes. */
export const randomFailTemplate = (coin: Coin) => `random-fail-${coin}`;

/**
 * Applies examples/analysis-templates.yaml (`pass` as published) and the two fixed-coin copies of
 * `random-fail`.
 */
export async function applyAnalysisTemplates(w: ExampleWorld): Promise<void> {
  for (const t of readExample('analysis-templates.yaml')) {
    const meta = { ...t.metadata, namespace: w.namespace };
    if (t.metadata.name !== 'random-fail') {
      await w.client.create({ ...t, metadata: meta });
      continue;
    }
    for (const coin of ['heads', 'tails'] as const) {
      const copy = structuredClone(t) as KubeObject & {
        spec: {
          metrics: {
            provider: { job: { spec: { template: { spec: { containers: { args: string[] }[] } } } } };
          }[];
        };
      };
      for (const m of copy.spec.metrics)
        for (const c of m.provider.job.spec.template.spec.containers)
          c.args = [coin === 'tails' ? 'exit 1' : 'exit 0'];
      await w.client.create({ ...copy, metadata: { ...meta, name: randomFailTemplate(coin) } });
    }
  }
}

/** Replaces every `templateName: random-fail` of an object by the fixed-coin copy. */
function fixCoin<T>(o: T, coin: Coin): T {
  return JSON.parse(
    JSON.stringify(o).replaceAll(
      '"templateName":"random-fail"',
      `"templateName":"${randomFailTemplate(coin)}"`,
    ),
  ) as T;
}

/** Creates the documents of an example in the world's namespace, its coin fixed. */
export async function applyExample(
  w: ExampleWorld,
  file: string,
  coin: Coin = 'heads',
): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const doc of readExample(file))
    out.push(
      await w.client.create(fixCoin({ ...doc, metadata: { ...doc.metadata, namespace: w.namespace } }, coin)),
    );
  return out;
}

export const getExperiment = (w: ExampleWorld, name: string) =>
  w.client.get<Experiment>({ ...EX, namespace: w.namespace, name }).catch((err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });

/**
 * What Argo's experiment controller decides, in comparable terms: phase, message, the Progressing
 * condition's status and reason, each template's status, each analysis' phase.
 */
export function experimentSummary(ex: Experiment | undefined): string {
  if (ex === undefined) return 'absent';
  const s = ex.status ?? {};
  const cond = (s.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`).join(',');
  const templates = (s.templateStatuses ?? []).map((t) => `${t.name}:${t.status ?? ''}`).join(',');
  const runs = (s.analysisRuns ?? []).map((r) => `${r.name}:${r.phase}`).join(',');
  return `phase=${s.phase ?? ''} message=${JSON.stringify(s.message ?? '')} conditions=[${cond}] templates=[${templates}] analyses=[${runs}]`;
}

/** Waits until the experiment's summary passes `check`; fails with the last summary. */
export async function experimentReaches(
  w: ExampleWorld,
  name: string,
  what: string,
  check: (ex: Experiment) => boolean,
): Promise<Experiment> {
  let last: Experiment | undefined;
  try {
    return await eventually(
      `experiment ${name} ${what}`,
      async () => {
        last = await getExperiment(w, name);
        return last !== undefined && check(last) ? last : undefined;
      },
      WAIT,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${experimentSummary(last)}`);
  }
}

/** The Rollout in comparable terms: phase, message, step, abort, the experiment it names. */
export function rolloutSummary(r: RolloutObject): string {
  const s = r.status ?? {};
  const reasons = (s.conditions ?? [])
    .map((c) => `${c.type}=${c.status}/${c.reason}`)
    .sort()
    .join(',');
  return `phase=${s.phase ?? ''} message=${JSON.stringify(s.message ?? '')} step=${s.currentStepIndex ?? '-'} abort=${s.abort === true} conditions=[${reasons}]`;
}

export async function rolloutReaches(
  w: ExampleWorld,
  name: string,
  what: string,
  check: (r: RolloutObject) => boolean,
): Promise<RolloutObject> {
  let last: RolloutObject | undefined;
  try {
    return await eventually(
      `rollout ${name} ${what}`,
      async () => {
        last = await getRollout(w.client, w.namespace, name);
        return check(last) ? last : undefined;
      },
      WAIT,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${last ? rolloutSummary(last) : 'none'}`);
  }
}

/** One checkpoint of a scenario: what was observed, in summary form. */
export interface Checkpoint {
  readonly at: string;
  readonly summary: string;
}

const isCompleted = (phase: string | undefined) => ['Successful', 'Failed', 'Error'].includes(phase ?? '');

/**
 * Ended, and settled: the reconcile that completes an experiment still reports its templates Running;
 * the next one (Argo's `isTerminating`) marks them completed.
 */
const experimentDone = (ex: Experiment) =>
  isCompleted(ex.status?.phase) && (ex.status?.templateStatuses ?? []).every((t) => isCompleted(t.status));

/**
 * examples/experiment-with-analysis.yaml. Its templates run without a duration, so the experiment ends
 * only when an analysis fails (tails) or when terminated (heads: both runs Successful, still Running).
 */
export async function experimentWithAnalysis(w: ExampleWorld, coin: Coin): Promise<Checkpoint[]> {
  const name = 'experiment-with-analysis';
  await applyExample(w, 'experiment-with-analysis.yaml', coin);
  const out: Checkpoint[] = [];
  if (coin === 'tails') {
    const failed = await experimentReaches(w, name, 'ends', experimentDone);
    out.push({ at: 'ended', summary: experimentSummary(failed) });
    return out;
  }
  const analysed = await experimentReaches(
    w,
    name,
    'Running with both analyses Successful',
    (ex) =>
      ex.status?.phase === 'Running' &&
      (ex.status.analysisRuns ?? []).length === 2 &&
      (ex.status.analysisRuns ?? []).every((r) => r.phase === 'Successful'),
  );
  out.push({ at: 'analyses done', summary: experimentSummary(analysed) });
  await w.client.patch(
    { ...EX, namespace: w.namespace, name },
    { spec: { terminate: true } },
    { type: 'merge' },
  );
  out.push({
    at: 'terminated',
    summary: experimentSummary(await experimentReaches(w, name, 'ends after terminate', experimentDone)),
  });
  return out;
}

/**
 * Running, and settled: the reconcile that sees the templates available reports Progressing
 * `ReplicaSetUpdated` (Argo's ExperimentProgressing: replica counts changed); the next one
 * `NewReplicaSetAvailable`.
 */
const isRunningSettled = (ex: Experiment) =>
  ex.status?.phase === 'Running' &&
  ex.status.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable';

/** Deploys a Rollout example, waits for revision 1, then updates the image to start revision 2. */
async function toRevisionTwo(w: ExampleWorld, name: string, file: string, coin: Coin): Promise<Checkpoint> {
  await applyExample(w, file, coin);
  const first = await rolloutReaches(w, name, 'revision 1 Healthy', (r) => r.status?.phase === 'Healthy');
  await setImage(w.client, w.namespace, name, 'argoproj/rollouts-demo:yellow');
  return { at: 'revision 1', summary: rolloutSummary(first) };
}

/** The experiment of revision 2's step `step`, once the Rollout names it and it runs. */
async function stepExperiment(
  w: ExampleWorld,
  name: string,
  step: number,
): Promise<{ ex: Experiment; r: RolloutObject }> {
  const r = await rolloutReaches(
    w,
    name,
    `at step ${step} with its experiment`,
    (x) =>
      x.status?.currentStepIndex === step &&
      (x.status.canary?.currentExperiment ?? '') !== '' &&
      x.status.phase === 'Progressing',
  );
  const exName = r.status?.canary?.currentExperiment ?? '';
  const ex = await experimentReaches(w, exName, 'Running (settled)', isRunningSettled);
  return { ex, r: await getRollout(w.client, w.namespace, name) };
}

/**
 * examples/rollout-experiment-step.yaml: setWeight 25, then an experiment (the canary template and
 * `random-fail`). Tails: the analysis fails, the experiment Fails, the Rollout aborts. Heads: the
 * experiment keeps running (no duration), the step waits until `promote`.
 */
export async function rolloutExperimentStep(w: ExampleWorld, coin: Coin): Promise<Checkpoint[]> {
  const name = 'rollout-experiment-step';
  const out = [await toRevisionTwo(w, name, 'rollout-experiment-step.yaml', coin)];
  const { ex, r } = await stepExperiment(w, name, 1);
  const exName = ex.metadata.name ?? '';
  out.push({ at: 'experiment running', summary: `${rolloutSummary(r)} | ${experimentSummary(ex)}` });
  if (coin === 'tails') {
    const aborted = await rolloutReaches(w, name, 'Degraded', (x) => x.status?.phase === 'Degraded');
    const failed = await experimentReaches(w, exName, 'ends', experimentDone);
    out.push({ at: 'aborted', summary: `${rolloutSummary(aborted)} | ${experimentSummary(failed)}` });
    return out;
  }
  const analysed = await experimentReaches(
    w,
    exName,
    'its analysis Successful',
    (e) => e.status?.analysisRuns?.[0]?.phase === 'Successful',
  );
  const waiting = await getRollout(w.client, w.namespace, name);
  out.push({ at: 'analysis done', summary: `${rolloutSummary(waiting)} | ${experimentSummary(analysed)}` });
  return [...out, ...(await promoteToHealthy(w, name, exName))];
}

/** `promote`: the step is skipped, the experiment terminated, the Rollout Healthy. */
async function promoteToHealthy(w: ExampleWorld, name: string, exName: string): Promise<Checkpoint[]> {
  await promoteRollout(w.client, { namespace: w.namespace, name });
  const healthy = await rolloutReaches(
    w,
    name,
    'Healthy on revision 2',
    (x) => x.status?.phase === 'Healthy' && x.status.stableRS === x.status.currentPodHash,
  );
  const ended = await experimentReaches(w, exName, 'ends after the promote', experimentDone);
  return [
    { at: 'promoted', summary: `${rolloutSummary(healthy)} | ${experimentSummary(ended)}` },
    { at: 'terminate', summary: `terminate=${ended.spec?.terminate === true}` },
  ];
}

/**
 * examples/rollout-canary-preview.yaml and rollout-baseline-vs-canary.yaml: an experiment as the first
 * step, without duration or analysis: it runs until `promote` moves the Rollout on and terminates it.
 */
export async function rolloutExperimentUntilPromoted(
  w: ExampleWorld,
  name: 'rollout-canary-preview' | 'rollout-baseline-vs-canary',
): Promise<Checkpoint[]> {
  const out = [await toRevisionTwo(w, name, `${name}.yaml`, 'heads')];
  const { ex, r } = await stepExperiment(w, name, 0);
  out.push({ at: 'experiment running', summary: `${rolloutSummary(r)} | ${experimentSummary(ex)}` });
  return [...out, ...(await promoteToHealthy(w, name, ex.metadata.name ?? ''))];
}

/**
 * Argo's e2e manifests test/e2e/functional/experiment-with-service.yaml, experiment-with-service-name.yaml
 * and experiment-with-multiport-service.yaml (as published): one template, 1 replica, a Service, 10 s,
 * scaled down 5 s after.
 */
export function experimentWithServiceManifest(
  variant: 'service' | 'service-name' | 'multiport-service',
  duration = '10s',
): Experiment {
  const name = `experiment-with-${variant}`;
  const ports =
    variant === 'multiport-service'
      ? [8080, 8081, 8082].map((p, i) => ({ name: `testport${i + 1}`, protocol: 'TCP', containerPort: p }))
      : [{ protocol: 'TCP', containerPort: 8080 }];
  return {
    ...EX,
    metadata: { name },
    spec: {
      duration,
      scaleDownDelaySeconds: 5,
      templates: [
        {
          name: 'test',
          replicas: 1,
          service: variant === 'service-name' ? { name: 'test-service-name' } : {},
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              containers: [
                {
                  name,
                  image: 'nginx:1.19-alpine',
                  resources: { requests: { memory: '16Mi', cpu: '1m' } },
                  ports,
                },
              ],
            },
          },
        },
      ],
    },
  } as Experiment;
}

/** Replicas of the experiment's template ReplicaSets and the number of its Services. */
async function ownedCounts(w: ExampleWorld, ex: Experiment): Promise<string> {
  const owned = (items: readonly KubeObject[]) =>
    items.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === ex.metadata.uid));
  const sets = owned(
    (await w.client.listAll({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }, { namespace: w.namespace })).items,
  );
  const services = owned(
    (await w.client.listAll({ apiVersion: 'v1', kind: 'Service' }, { namespace: w.namespace })).items,
  ).map((svc) => {
    const ports = ((svc.spec as { ports?: { name?: string; port?: number }[] }).ports ?? [])
      .map((p) => `${p.name ?? ''}:${p.port}`)
      .join('+');
    return `${svc.metadata.name}(${ports})`;
  });
  const replicas = sets
    .map((rs) => `${rs.metadata.name}=${(rs.spec as { replicas?: number }).replicas}`)
    .sort()
    .join(',');
  return `replicaSets=[${replicas}] services=[${services.join(',')}]`;
}

/**
 * Argo's e2e TestExperimentWithServiceAndScaleDownDelay: Running with one pod and its Service, Successful
 * after 10 s, then (5 s later) the ReplicaSet at 0 and the Service gone.
 */
export async function experimentWithService(
  w: ExampleWorld,
  manifest: Experiment,
  probe: (name: string) => Promise<string> = async () => '',
): Promise<Checkpoint[]> {
  const name = manifest.metadata.name ?? '';
  await w.client.create({ ...manifest, metadata: { name, namespace: w.namespace } });
  const running = await experimentReaches(
    w,
    name,
    'Running with its pod available (settled: the reconcile after the one that saw it available)',
    (ex) => isRunningSettled(ex) && ex.status?.templateStatuses?.[0]?.availableReplicas === 1,
  );
  const out: Checkpoint[] = [
    { at: 'running', summary: `${experimentSummary(running)} ${await ownedCounts(w, running)}` },
    { at: 'running (view)', summary: await probe(name) },
  ];
  const done = await experimentReaches(w, name, 'Successful', experimentDone);
  out.push({ at: 'successful', summary: experimentSummary(done) });
  const scaled = await eventually(
    'template scaled to 0 and its Service deleted',
    async () => {
      const counts = await ownedCounts(w, done);
      return /=0\] services=\[\]$/.test(counts) ? counts : undefined;
    },
    WAIT,
    250,
  );
  out.push({ at: 'scaled down', summary: scaled });
  out.push({ at: 'scaled down (view)', summary: await probe(name) });
  return out;
}
