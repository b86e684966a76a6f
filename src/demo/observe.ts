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

interface Line {
  /** What identifies the line for de-duplication (volatile counts left out). */
  readonly key: string;
  readonly text: string;
}

/** Lines describing the world; a line is printed when its key is new. */
function describe(w: WorldView): Line[] {
  const lines: Line[] = [];
  const r = w.rollout?.status;
  if (r) {
    const weight = r.canary?.weights?.canary?.weight;
    const head = `rollout: ${r.phase ?? '?'}${r.currentStepIndex !== undefined ? ` step ${r.currentStepIndex}` : ''}${weight !== undefined ? ` canary weight ${weight}%` : ''}`;
    const tail = r.message ? ` ${r.message}` : '';
    lines.push({
      key: head + tail,
      text: `${head} (${r.availableReplicas ?? 0}/${w.rollout?.spec?.replicas ?? '?'} available, ${r.updatedReplicas ?? 0} updated)${tail}`,
    });
  }
  const a = w.app?.status;
  if (a) {
    const rev = a.sync?.revision ? ` @ ${a.sync.revision.slice(0, 7)}` : '';
    const text = `application: ${a.sync?.status ?? '?'} / ${a.health?.status ?? '?'}${rev}`;
    lines.push({ key: text, text });
  }
  for (const run of w.runs) {
    const m = run.status?.metricResults?.[0];
    const count = m?.measurements?.length ?? 0;
    const last = m?.measurements?.[count - 1];
    // Vector results are stored as "[0.99]"; a canary with no traffic yet reads NaN (0/0).
    const value = Number.parseFloat((last?.value ?? '').replace(/^\[/, ''));
    const shown = Number.isFinite(value)
      ? ` success-rate ${value.toFixed(3)}`
      : count > 0
        ? ' (no traffic yet)'
        : '';
    const text = `analysis ${run.metadata.name}: ${run.status?.phase ?? 'Pending'}${shown}`;
    lines.push({ key: `${run.metadata.name} ${run.status?.phase ?? ''} ${count}`, text });
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
      if (printed.has(line.key)) continue;
      printed.add(line.key);
      narrator.info(line.text);
    }
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the story did not reach the expected state in time');
}
