import type { KubeClient, KubeObject } from '../kube/index.js';
import type { Narrator } from './narrator.js';

interface RolloutView {
  phase?: string;
  message?: string;
  currentStepIndex?: number;
  stableRS?: string;
  currentPodHash?: string;
  abort?: boolean;
  canary?: { weights?: { canary?: { weight?: number } } };
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
}
interface AppView {
  sync?: { status?: string; revision?: string };
  health?: { status?: string; message?: string };
  operationState?: { phase?: string };
}
export interface WorldView {
  readonly rollout: (KubeObject & { spec?: { replicas?: number }; status?: RolloutView }) | undefined;
  readonly app: (KubeObject & { status?: AppView }) | undefined;
  readonly runs: (KubeObject & {
    status?: {
      phase?: string;
      message?: string;
      metricResults?: { name: string; measurements?: { value?: string; phase?: string }[] }[];
    };
  })[];
}

const get = async <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

export async function readWorld(client: KubeClient): Promise<WorldView> {
  const [rollout, app, runs] = await Promise.all([
    get(client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: 'demo', name: 'demo' })),
    get(
      client.get({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        namespace: 'argocd',
        name: 'demo',
      }),
    ),
    get(client.listAll({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' }, { namespace: 'demo' })),
  ]);
  return {
    rollout: rollout as WorldView['rollout'],
    app: app as WorldView['app'],
    runs: (runs?.items ?? []) as WorldView['runs'],
  };
}

/** One line describing what changed since the previous view, or undefined. */
function describe(w: WorldView): string[] {
  const lines: string[] = [];
  const r = w.rollout?.status;
  if (r) {
    const weight = r.canary?.weights?.canary?.weight;
    lines.push(
      `rollout: ${r.phase ?? '?'}${r.currentStepIndex !== undefined ? ` step ${r.currentStepIndex}` : ''}${weight !== undefined ? ` canary weight ${weight}%` : ''} (${r.availableReplicas ?? 0}/${w.rollout?.spec?.replicas ?? '?'} available, ${r.updatedReplicas ?? 0} updated)${r.message ? ` ${r.message}` : ''}`,
    );
  }
  const a = w.app?.status;
  if (a)
    lines.push(
      `application: ${a.sync?.status ?? '?'} / ${a.health?.status ?? '?'}${a.sync?.revision ? ` @ ${a.sync.revision.slice(0, 7)}` : ''}`,
    );
  for (const run of w.runs) {
    const m = run.status?.metricResults?.[0];
    const last = m?.measurements?.[m.measurements.length - 1];
    lines.push(
      `analysis ${run.metadata.name}: ${run.status?.phase ?? 'Pending'}${last?.value !== undefined ? ` success-rate ${Number(last.value).toFixed(3)}` : ''}`,
    );
  }
  return lines;
}

/** Polls the world, narrating changes, until `done` holds (resolves true) or the time runs out (false). */
export async function follow(
  client: KubeClient,
  narrator: Narrator,
  done: (w: WorldView) => boolean,
  timeoutMs: number,
): Promise<WorldView> {
  const deadline = Date.now() + timeoutMs;
  const printed = new Set<string>();
  let last = await readWorld(client);
  while (Date.now() < deadline) {
    last = await readWorld(client);
    for (const line of describe(last)) {
      const key = line.replace(/\(\d+\/\S+ available, \d+ updated\)/, '').replace(/success-rate [\d.]+/, '');
      if (printed.has(key)) continue;
      printed.add(key);
      narrator.info(line);
    }
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the story did not reach the expected state in time');
}
