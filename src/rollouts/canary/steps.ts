/**
 * The canary step model: what a step asks for, which step is current, which weight is in effect,
 * the step hash that detects edited steps, and pause bookkeeping. Pure: time comes in as `now` (ms).
 * Mirrors Argo Rollouts' utils/replicaset/canary.go, utils/conditions (ComputeStepHash) and
 * rollout/pause.go.
 */
import { fnv32a } from '../../go/index.js';
import { pauseDurationSeconds } from '../spec/duration.js';
import type {
  CanaryStep,
  PauseCondition,
  Rollout,
  RolloutExperimentStep,
  RolloutPause,
  SetCanaryScale,
} from '../types.js';
import { pauseStepProgress } from './pause.js';

/** Pause reasons written to `status.pauseConditions[].reason` (Argo's PauseReason values). */
export const PauseReason = {
  CanaryPauseStep: 'CanaryPauseStep',
  InconclusiveAnalysis: 'InconclusiveAnalysisRun',
  InconclusiveExperiment: 'InconclusiveExperiment',
  BlueGreenPause: 'BlueGreenPause',
} as const;
export type PauseReason = (typeof PauseReason)[keyof typeof PauseReason];

const ACTIONS = [
  'setWeight',
  'pause',
  'experiment',
  'analysis',
  'setCanaryScale',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
] as const;
export type StepAction = (typeof ACTIONS)[number];

/** Actions Slipway recognises but does not execute. */
export const UNSUPPORTED_ACTIONS: readonly StepAction[] = ['setHeaderRoute', 'setMirrorRoute', 'plugin'];

export type StepModel =
  | { readonly kind: 'setWeight'; readonly weight: number }
  /** `durationSeconds` is undefined for an indefinite pause (until promoted), -1 when unparseable. */
  | { readonly kind: 'pause'; readonly durationSeconds?: number }
  | { readonly kind: 'analysis'; readonly analysis: NonNullable<CanaryStep['analysis']> }
  | { readonly kind: 'setCanaryScale'; readonly scale: SetCanaryScale }
  | { readonly kind: 'experiment'; readonly experiment: RolloutExperimentStep }
  | { readonly kind: 'unsupported'; readonly action: StepAction }
  | { readonly kind: 'invalid'; readonly actions: readonly StepAction[] };

/** The actions set on a step, in Argo's field order. */
export function stepActions(step: CanaryStep): StepAction[] {
  return ACTIONS.filter((action) => step[action] !== undefined && step[action] !== null);
}

/** Classify a step; a step with zero or several actions is `invalid`. */
export function describeStep(step: CanaryStep): StepModel {
  const actions = stepActions(step);
  const [action] = actions;
  if (actions.length !== 1 || action === undefined) return { kind: 'invalid', actions };
  switch (action) {
    case 'setWeight':
      return { kind: 'setWeight', weight: step.setWeight ?? 0 };
    case 'pause':
      return step.pause?.duration === undefined
        ? { kind: 'pause' }
        : { kind: 'pause', durationSeconds: pauseDurationSeconds(step.pause) };
    case 'analysis':
      return { kind: 'analysis', analysis: step.analysis ?? {} };
    case 'setCanaryScale':
      return { kind: 'setCanaryScale', scale: step.setCanaryScale ?? {} };
    case 'experiment':
      return { kind: 'experiment', experiment: step.experiment ?? { templates: [] } };
    default:
      return { kind: 'unsupported', action };
  }
}

const stepsOf = (rollout: Rollout): readonly CanaryStep[] => rollout.spec?.strategy?.canary?.steps ?? [];

/**
 * Argo's `GetCurrentCanaryStep`: the index is `status.currentStepIndex` (0 when unset); `step` is
 * undefined once every step has run. Both are undefined when the rollout has no steps.
 */
export function currentStep(rollout: Rollout): { readonly index?: number; readonly step?: CanaryStep } {
  const steps = stepsOf(rollout);
  if (rollout.spec?.strategy?.canary === undefined || steps.length === 0) return {};
  const index = rollout.status?.currentStepIndex ?? 0;
  const step = steps[index];
  return step === undefined ? { index } : { index, step };
}

/** The current step index, or undefined when the rollout has no steps. */
export function currentStepIndex(rollout: Rollout): number | undefined {
  return currentStep(rollout).index;
}

/** Argo's `MaxTrafficWeight`: `trafficRouting.maxTrafficWeight`, 100 by default. */
export function maxTrafficWeight(rollout: Rollout): number {
  const routing = rollout.spec?.strategy?.canary?.trafficRouting;
  return routing?.maxTrafficWeight ?? 100;
}

/**
 * Argo's `GetCurrentSetWeight`: 0 while aborted; maxTrafficWeight (100) after the last step (or
 * without steps); otherwise the nearest setWeight at or before the current step, 0 if there is none.
 */
export function currentSetWeight(rollout: Rollout): number {
  if (rollout.status?.abort) return 0;
  const { index, step } = currentStep(rollout);
  if (step === undefined || index === undefined) return maxTrafficWeight(rollout);
  const steps = stepsOf(rollout);
  for (let i = index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/**
 * Argo's `UseSetCanaryScale`: the setCanaryScale in effect (traffic routing only). Ignored while
 * aborted unless `abortScaleDownDelaySeconds` is 0, and cancelled by a later `matchTrafficWeight`.
 */
export function currentSetCanaryScale(rollout: Rollout): SetCanaryScale | undefined {
  const canary = rollout.spec?.strategy?.canary;
  if (canary?.trafficRouting === undefined) return undefined;
  if (rollout.status?.abort && canary.abortScaleDownDelaySeconds !== 0) return undefined;
  const { index, step } = currentStep(rollout);
  if (step === undefined || index === undefined) return undefined;
  const steps = stepsOf(rollout);
  for (let i = index; i >= 0; i--) {
    const scale = steps[i]?.setCanaryScale;
    if (scale === undefined) continue;
    return scale.matchTrafficWeight ? undefined : scale;
  }
  return undefined;
}

/**
 * Argo's `GetCanaryReplicasOrWeight`: maxTrafficWeight (100) on full promotion, without a stable
 * ReplicaSet or when the desired pod template is already stable; else an explicit setCanaryScale;
 * else the setWeight. (The aborted dynamicStableScale step-down needs the ReplicaSets:
 * `canaryReplicasOrWeight` in traffic-routed-replicas.ts has it.)
 */
export function desiredCanaryScale(rollout: Rollout): {
  readonly weight: number;
  readonly replicas?: number;
} {
  const status = rollout.status ?? {};
  if (status.promoteFull || !status.stableRS || status.currentPodHash === status.stableRS)
    return { weight: maxTrafficWeight(rollout) };
  const scale = currentSetCanaryScale(rollout);
  if (scale?.replicas !== undefined) return { weight: 0, replicas: scale.replicas };
  if (scale?.weight !== undefined) return { weight: scale.weight };
  return { weight: currentSetWeight(rollout) };
}

// ---- step hash ------------------------------------------------------------------------------

export { fnv32a };

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' `rand.SafeEncodeString`: maps each byte onto consonants and digits (no vowels, no 0/1/3). */
export function safeEncodeString(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += SAFE_ALPHABET[byte % SAFE_ALPHABET.length];
  return out;
}

type Field = readonly [name: string, encode: (value: unknown) => string | undefined];

/** Go encoding/json string escaping (HTML-safe). */
const goString = (value: unknown): string =>
  JSON.stringify(String(value ?? ''))
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');

/** Any JSON value with map semantics (keys sorted), used for objects we do not model field by field. */
function goAny(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(goAny).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `{${entries.map(([k, v]) => `${goString(k)}:${goAny(v)}`).join(',')}}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** A Go struct: fields in declaration order; an encoder returning undefined omits the field. */
const struct =
  (fields: readonly Field[]) =>
  (value: unknown): string => {
    const record = isRecord(value) ? value : {};
    const parts: string[] = [];
    for (const [name, encode] of fields) {
      const encoded = encode(record[name]);
      if (encoded !== undefined) parts.push(`${goString(name)}:${encoded}`);
    }
    return `{${parts.join(',')}}`;
  };

// omitempty variants of Go field kinds
const ptr = (encode: (v: unknown) => string) => (v: unknown) =>
  v === undefined || v === null ? undefined : encode(v);
const str = (v: unknown) => goString(v);
const strOmit = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : goString(v));
const int = (v: unknown) => String(v ?? 0);
const boolOmit = (v: unknown) => (v === true ? 'true' : undefined);
const list = (encode: (v: unknown) => string) => (v: unknown) =>
  Array.isArray(v) && v.length > 0 ? `[${v.map(encode).join(',')}]` : undefined;
const mapOmit = (v: unknown) => (isRecord(v) && Object.keys(v).length > 0 ? goAny(v) : undefined);

const stringMatch = struct([
  ['exact', strOmit],
  ['regex', strOmit],
  ['prefix', strOmit],
]);
const argument = struct([
  ['name', str],
  ['value', strOmit],
  [
    'valueFrom',
    ptr(
      struct([
        ['podTemplateHashValue', ptr(str)],
        ['fieldRef', ptr(struct([['fieldPath', str]]))],
      ]),
    ),
  ],
]);
const dryRun = struct([['metricName', str]]);
/** A struct value with omitempty (PodTemplateMetadata, AnalysisRunMetadata): never omitted by encoding/json. */
const podMetadata = struct([
  ['labels', mapOmit],
  ['annotations', mapOmit],
]);
const labelSelector = struct([
  ['matchLabels', mapOmit],
  [
    'matchExpressions',
    list(
      struct([
        ['key', str],
        ['operator', str],
        ['values', list(str)],
      ]),
    ),
  ],
]);
/** A slice without omitempty: nil is `null`. */
const listOrNull = (encode: (v: unknown) => string) => (v: unknown) =>
  Array.isArray(v) ? `[${v.map(encode).join(',')}]` : 'null';
const experiment = struct([
  [
    'templates',
    listOrNull(
      struct([
        ['name', str],
        ['specRef', str],
        ['replicas', ptr(int)],
        ['metadata', podMetadata],
        ['selector', ptr(labelSelector)],
        ['weight', ptr(int)],
        ['service', ptr(struct([['name', strOmit]]))],
      ]),
    ),
  ],
  ['duration', (d) => (d === undefined || d === null || d === '' ? undefined : goString(String(d)))],
  [
    'analyses',
    list(
      struct([
        ['name', str],
        ['templateName', str],
        ['clusterScope', ptr((v) => (v === true ? 'true' : 'false'))],
        ['args', list(argument)],
        ['requiredForCompletion', boolOmit],
      ]),
    ),
  ],
  ['dryRun', list(dryRun)],
  ['analysisRunMetadata', podMetadata],
  ['scaleDownDelaySeconds', ptr(int)],
]);
const analysis = struct([
  [
    'templates',
    list(
      struct([
        ['templateName', str],
        ['clusterScope', boolOmit],
      ]),
    ),
  ],
  ['args', list(argument)],
  ['dryRun', list(dryRun)],
  [
    'measurementRetention',
    list(
      struct([
        ['metricName', str],
        ['limit', int],
      ]),
    ),
  ],
  // a struct value with omitempty is never omitted by encoding/json
  [
    'analysisRunMetadata',
    struct([
      ['labels', mapOmit],
      ['annotations', mapOmit],
    ]),
  ],
]);
const canaryStep = struct([
  ['setWeight', ptr(int)],
  ['pause', ptr(struct([['duration', ptr((d) => (typeof d === 'string' ? goString(d) : int(d)))]]))],
  ['experiment', ptr(experiment)],
  ['analysis', ptr(analysis)],
  [
    'setCanaryScale',
    ptr(
      struct([
        ['weight', ptr(int)],
        ['replicas', ptr(int)],
        ['matchTrafficWeight', boolOmit],
      ]),
    ),
  ],
  [
    'setHeaderRoute',
    ptr(
      struct([
        ['name', strOmit],
        [
          'match',
          list(
            struct([
              ['headerName', str],
              ['headerValue', (v) => (v ? stringMatch(v) : 'null')],
            ]),
          ),
        ],
      ]),
    ),
  ],
  [
    'setMirrorRoute',
    ptr(
      struct([
        ['name', str],
        [
          'match',
          list(
            struct([
              ['method', ptr(stringMatch)],
              ['path', ptr(stringMatch)],
              ['headers', mapOmit],
            ]),
          ),
        ],
        ['percentage', ptr(int)],
      ]),
    ),
  ],
  ['plugin', ptr(goAny)],
]);

/** The steps as Go's encoding/json would marshal Argo's `[]CanaryStep` (nil slice → "null"). */
export function stepsJson(steps: readonly CanaryStep[] | undefined): string {
  return steps === undefined ? 'null' : `[${steps.map(canaryStep).join(',')}]`;
}

/**
 * `status.currentStepHash` (Argo's `ComputeStepHash`): SafeEncodeString of the decimal FNV-32a hash
 * of the JSON-encoded steps; "" for blue-green or without a canary strategy.
 */
export function computeStepHash(rollout: Rollout): string {
  const strategy = rollout.spec?.strategy;
  if (strategy?.blueGreen !== undefined || strategy?.canary === undefined) return '';
  return safeEncodeString(String(fnv32a(stepsJson(strategy.canary.steps))));
}

/** Argo's `checkStepHashChange`: true without a recorded hash or when the steps changed. */
export function hasStepHashChanged(rollout: Rollout): boolean {
  const recorded = rollout.status?.currentStepHash ?? '';
  return recorded === '' || recorded !== computeStepHash(rollout);
}

// ---- pauses ---------------------------------------------------------------------------------

export function findPauseCondition(rollout: Rollout, reason: string): PauseCondition | undefined {
  return rollout.status?.pauseConditions?.find((condition) => condition.reason === reason);
}

/** The pause step's progress for this Rollout's status (see pause.ts, the one place that decides it). */
function pauseProgress(rollout: Rollout, pause: RolloutPause, now: number) {
  return pauseStepProgress({
    durationSeconds: pause.duration === undefined ? undefined : pauseDurationSeconds(pause),
    pauseConditions: rollout.status?.pauseConditions ?? [],
    controllerPause: rollout.status?.controllerPause === true,
    now,
  });
}

/** When a timed pause step expires (ms since epoch), or undefined if it is not timed or not started. */
export function pauseExpiresAt(rollout: Rollout, pause: RolloutPause): number | undefined {
  return pauseProgress(rollout, pause, 0).expiresAt;
}

/**
 * Argo's `CompletedCanaryPauseStep`: a timed pause is done strictly after startTime + duration; a pause
 * is also done once the user removed the pause conditions while `controllerPause` stays set.
 */
export function isPauseStepCompleted(rollout: Rollout, pause: RolloutPause, now: number): boolean {
  return pauseProgress(rollout, pause, now).done;
}

/** Milliseconds until a timed pause step expires (0 when due), for the reconcile requeue; else undefined. */
export function pauseTimeRemainingMs(rollout: Rollout, pause: RolloutPause, now: number): number | undefined {
  const expiresAt = pauseExpiresAt(rollout, pause);
  return expiresAt === undefined ? undefined : Math.max(0, expiresAt - now);
}
