/**
 * The offline checks `slipway lint` runs on each object, the ones the controllers run before acting:
 * Argo's Rollout validation and what Slipway cannot run (the InvalidSpec texts), analysis template
 * and run checks (Argo's metric rules, conditions compiled up front), the Application spec check, and
 * notification ConfigMaps parsed as the notifications controller parses them. Pure.
 */
import {
  type AnalysisTemplateLike,
  firstConditionCompileError,
  formatConditionError,
  type Metric,
  type TemplateLookup,
  templateConditionError,
  validateMetrics,
} from '../analysis/index.js';
import {
  argocdConfigMapName,
  argocdSecretName,
  parseNotificationConfig,
  rolloutsConfigMapName,
  rolloutsSecretName,
} from '../notifications/index.js';
import {
  analysisTemplateError,
  DEFAULT_MAX_REPLICAS,
  formatValidationError,
  type Rollout,
  replicaCeilingError,
  resolveWorkloadRef,
  unsupportedFeature,
  validateRollout,
  workloadKindOf,
} from '../rollouts/index.js';
import { applicationSpecError } from '../sync/index.js';

type Obj = Readonly<Record<string, unknown>>;

/** One finding about one object. */
export interface ObjectFinding {
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** What the checks may look up among the other linted objects. */
export interface LintContext {
  /** An object of the input by kind, namespace (undefined: any) and name. */
  readonly find: (kind: string, namespace: string | undefined, name: string) => Obj | undefined;
  /** The replica ceiling the controller enforces (`--max-replicas`). Default DEFAULT_MAX_REPLICAS. */
  readonly maxReplicas?: number;
}

const error = (message: string): ObjectFinding => ({ message, severity: 'error' });
const metaOf = (o: Obj) => (o.metadata ?? {}) as { readonly name?: string; readonly namespace?: string };

function templateLookup(ctx: LintContext, namespace: string | undefined): TemplateLookup {
  return (ref) =>
    (ref.clusterScope
      ? ctx.find('ClusterAnalysisTemplate', undefined, ref.templateName)
      : ctx.find('AnalysisTemplate', namespace, ref.templateName)) as AnalysisTemplateLike | undefined;
}

export function checkRollout(obj: Obj, ctx: LintContext): ObjectFinding[] {
  const rollout = obj as Rollout;
  const namespace = metaOf(obj).namespace;
  const ref = rollout.spec?.workloadRef;
  let target: Rollout = rollout;
  let resolved = false;
  if (ref !== undefined && ref !== null) {
    const kind = workloadKindOf(ref);
    if (typeof kind === 'string') return [error(`spec.workloadRef: ${kind}`)];
    // the workload among the linted objects: check the Rollout as the controller will see it
    const workload = ctx.find(kind.kind, namespace, ref.name ?? '');
    const resolution =
      workload === undefined ? undefined : resolveWorkloadRef(rollout, { metadata: {}, ...workload });
    if (resolution?.ok === true) {
      target = resolution.rollout;
      resolved = true;
    }
  }
  const invalid = validateRollout(target, { templateResolvedFromRef: resolved });
  if (invalid.length > 0) return invalid.map((e) => error(formatValidationError(e, { argoPath: true })));
  const problem =
    unsupportedFeature(target) ??
    replicaCeilingError(target.spec, ctx.maxReplicas ?? DEFAULT_MAX_REPLICAS) ??
    analysisTemplateError(target, templateLookup(ctx, namespace));
  return problem === undefined ? [] : [error(problem)];
}

export function checkAnalysisTemplate(obj: Obj): ObjectFinding[] {
  const template = obj as unknown as AnalysisTemplateLike;
  const metrics = (template.spec?.metrics ?? []) as readonly Metric[];
  const invalid = validateMetrics(metrics);
  if (invalid !== undefined) return [error(invalid)];
  const condition = templateConditionError(template);
  return condition === undefined
    ? []
    : [error(`metric "${condition.metric}": ${formatConditionError(condition)}`)];
}

export function checkAnalysisRun(obj: Obj): ObjectFinding[] {
  const spec = (obj.spec ?? {}) as {
    metrics?: readonly Metric[];
    dryRun?: readonly { metricName: string }[];
  };
  const metrics = spec.metrics ?? [];
  const invalid = validateMetrics(metrics);
  if (invalid !== undefined) return [error(invalid)];
  const dryRun = new Set((spec.dryRun ?? []).map((d) => d.metricName));
  const condition = firstConditionCompileError(metrics, dryRun);
  return condition === undefined
    ? []
    : [error(`metric "${condition.metric}": ${formatConditionError(condition)}`)];
}

export function checkApplication(obj: Obj): ObjectFinding[] {
  const problem = applicationSpecError(obj as Parameters<typeof applicationSpecError>[0]);
  return problem === undefined ? [] : [error(problem)];
}

/** The Secret that goes with a notification ConfigMap. */
const NOTIFICATION_SECRETS: Readonly<Record<string, string>> = {
  [argocdConfigMapName]: argocdSecretName,
  [rolloutsConfigMapName]: rolloutsSecretName,
};

function secretData(secret: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((secret.data ?? {}) as Record<string, unknown>))
    if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries((secret.stringData ?? {}) as Record<string, unknown>))
    if (typeof v === 'string') out[k] = v;
  return out;
}

/** A notification ConfigMap; other ConfigMaps are not checked. */
export function checkConfigMap(obj: Obj, ctx: LintContext): ObjectFinding[] {
  const { name, namespace } = metaOf(obj);
  const secretName = NOTIFICATION_SECRETS[name ?? ''];
  if (secretName === undefined) return [];
  const secret = ctx.find('Secret', namespace, secretName);
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) data[k] = String(v);
  const { problems } = parseNotificationConfig(data, secret === undefined ? {} : secretData(secret));
  return (
    problems
      // offline without the Secret, a `$key` reference cannot be checked
      .filter((p) => secret !== undefined || p.code !== 'missing-secret-key')
      .map((p) => ({ message: `${p.key}: ${p.message}`, severity: p.severity }))
  );
}
