/**
 * The Rollout page: what `rollout get` shows (the plugin's view model, reused), the step timeline and
 * each AnalysisRun's metrics with their measurements and chartable thresholds. Pure: `now` is a value.
 * Only spec and status fields are read; the page never sees a Secret, an argument value or a header.
 */
import type { AnalysisRunSpec, AnalysisRunStatus, Measurement, Metric } from '../analysis/index.js';
import { type RolloutInfo, type RolloutSnapshot, rolloutInfo } from '../cli/rollout-view/index.js';
import type { KubeObject } from '../kube/index.js';
import { type CanaryStep, pauseDurationSeconds } from '../rollouts/index.js';
import { conditionThresholds, measuredNumber, type Threshold } from './thresholds.js';

export type StepState = 'done' | 'current' | 'next';

export interface StepView {
  readonly index: number;
  readonly label: string;
  readonly state: StepState;
  /** A started timed pause of the current step: when it ends (ms since epoch). */
  readonly pauseEndsAt?: number;
}

export interface MeasurementPoint {
  /** ms since epoch (finishedAt, else startedAt). */
  readonly at: number;
  readonly value: number | undefined;
  readonly raw: string;
  readonly phase: string;
}

export interface MetricView {
  readonly name: string;
  readonly phase: string;
  readonly message: string;
  readonly successCondition: string;
  readonly failureCondition: string;
  readonly thresholds: readonly Threshold[];
  /** The provider and what it asks (a PromQL query, a URL without headers, a Job). */
  readonly provider: string;
  readonly query: string;
  readonly measurements: readonly MeasurementPoint[];
}

export interface AnalysisRunView {
  readonly name: string;
  readonly phase: string;
  readonly message: string;
  readonly revision: number;
  readonly metrics: readonly MetricView[];
}

export type RolloutAction = 'promote' | 'promote-full' | 'abort' | 'retry' | 'restart' | 'undo';

export interface RolloutDetail {
  readonly info: Omit<RolloutInfo, 'analysisRuns' | 'experiments'>;
  readonly aborted: boolean;
  readonly paused: boolean;
  readonly steps: readonly StepView[];
  readonly analysisRuns: readonly AnalysisRunView[];
  /** Which actions make sense now (the UI still asks the server, which checks RBAC). */
  readonly actions: Readonly<Record<RolloutAction, boolean>>;
}

export type AnalysisRunLike = KubeObject & {
  readonly spec?: Partial<AnalysisRunSpec>;
  readonly status?: AnalysisRunStatus;
};

function stepLabel(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `Set weight ${step.setWeight}%`;
  if (step.pause !== undefined && step.pause !== null)
    return step.pause.duration === undefined
      ? 'Pause until promoted'
      : `Pause ${pauseDurationSeconds(step.pause)}s`;
  if (step.analysis !== undefined)
    return `Analysis ${(step.analysis.templates ?? []).map((t) => t.templateName).join(', ')}`;
  if (step.experiment !== undefined)
    return `Experiment ${step.experiment.templates.map((t) => t.name).join(', ')}`;
  if (step.setCanaryScale !== undefined) return 'Set canary scale';
  if (step.setHeaderRoute !== undefined) return `Header route ${step.setHeaderRoute.name ?? ''}`.trim();
  if (step.setMirrorRoute !== undefined) return `Mirror route ${step.setMirrorRoute.name ?? ''}`.trim();
  if (step.plugin !== undefined) return 'Plugin step';
  return 'Step';
}

export function stepTimeline(snap: RolloutSnapshot): StepView[] {
  const r = snap.rollout;
  const steps = r.spec?.strategy?.canary?.steps ?? [];
  const index = r.status?.currentStepIndex ?? 0;
  return steps.map((step, i) => {
    const state: StepState = i < index ? 'done' : i === index ? 'current' : 'next';
    let pauseEndsAt: number | undefined;
    if (state === 'current' && step.pause?.duration !== undefined) {
      const started = (r.status?.pauseConditions ?? []).find((p) => p.reason === 'CanaryPauseStep');
      const start = Date.parse(started?.startTime ?? '');
      if (!Number.isNaN(start)) pauseEndsAt = start + pauseDurationSeconds(step.pause) * 1000;
    }
    return { index: i, label: stepLabel(step), state, ...(pauseEndsAt !== undefined && { pauseEndsAt }) };
  });
}

function providerOf(metric: Metric | undefined): { provider: string; query: string } {
  const p = metric?.provider;
  if (p?.prometheus !== undefined) return { provider: 'prometheus', query: p.prometheus.query ?? '' };
  if (p?.web !== undefined) return { provider: 'web', query: withoutCredentials(p.web.url ?? '') };
  if (p?.job !== undefined) return { provider: 'job', query: '' };
  const names = Object.keys(p ?? {});
  return { provider: names[0] ?? '', query: '' };
}

/** A web metric's URL without user info, query or fragment (where API keys tend to live). */
function withoutCredentials(url: string): string {
  const bare = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1');
  const cut = bare.search(/[?#]/);
  return cut < 0 ? bare : `${bare.slice(0, cut)}?…`;
}

const pointOf = (m: Measurement): MeasurementPoint => ({
  at: Date.parse(m.finishedAt ?? m.startedAt ?? '') || 0,
  value: measuredNumber(m.value),
  raw: (m.value ?? '').slice(0, 200),
  phase: m.phase,
});

export function analysisRunView(run: AnalysisRunLike): AnalysisRunView {
  const specs = new Map((run.spec?.metrics ?? []).map((m) => [m.name, m]));
  const results = run.status?.metricResults ?? [];
  const names = [...new Set([...specs.keys(), ...results.map((r) => r.name)])];
  return {
    name: run.metadata.name ?? '',
    phase: run.status?.phase ?? 'Pending',
    message: run.status?.message ?? '',
    revision: Number.parseInt(run.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '', 10) || 0,
    metrics: names.map((name) => {
      const spec = specs.get(name);
      const result = results.find((r) => r.name === name);
      return {
        name,
        phase: result?.phase ?? 'Pending',
        message: result?.message ?? '',
        successCondition: spec?.successCondition ?? '',
        failureCondition: spec?.failureCondition ?? '',
        thresholds: [
          ...conditionThresholds(spec?.successCondition, 'success'),
          ...conditionThresholds(spec?.failureCondition, 'failure'),
        ],
        ...providerOf(spec),
        measurements: (result?.measurements ?? []).map(pointOf),
      };
    }),
  };
}

const owns = (r: KubeObject, o: KubeObject) =>
  r.metadata.uid !== undefined &&
  (o.metadata.ownerReferences ?? []).some((ref) => ref.uid === r.metadata.uid);

export function rolloutDetail(snap: RolloutSnapshot): RolloutDetail {
  const { analysisRuns: _runs, experiments: _experiments, ...info } = rolloutInfo(snap);
  const r = snap.rollout;
  const s = r.status ?? {};
  const aborted = s.abort === true;
  const paused = (s.pauseConditions ?? []).length > 0 || r.spec?.paused === true;
  const inProgress = (s.currentPodHash ?? '') !== (s.stableRS ?? '');
  const runs = (snap.analysisRuns as readonly AnalysisRunLike[])
    .filter((run) => owns(r, run))
    .map(analysisRunView)
    .sort((a, b) => b.revision - a.revision || b.name.localeCompare(a.name));
  return {
    info,
    aborted,
    paused,
    steps: stepTimeline(snap),
    analysisRuns: runs,
    actions: {
      promote: !aborted && (paused || inProgress),
      'promote-full': !aborted && inProgress,
      abort: !aborted && inProgress,
      retry: aborted,
      restart: true,
      // a previous revision to go back to
      undo: info.replicaSets.length > 1,
    },
  };
}
