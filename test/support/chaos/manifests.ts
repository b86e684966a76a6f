// What a chaos run creates: subscribed canary Rollouts, the Rollout notification ConfigMap/Secret with a
// step template that names its revision and step, and Applications over a Git repository whose apps
// (a Deployment, a ConfigMap and optional extra ConfigMaps that commits add and remove) it mutates.
import type { KubeObject } from '../../../src/kube/index.js';
import type { CanaryStep } from '../../../src/rollouts/index.js';

export const ROLLOUT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
export const APPLICATION = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
export const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
export const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' } as const;
export const REPLICA_SET = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

export const SLACK_TOKEN = 'xoxb-chaos-token';
export const STEP_TEMPLATE = 'chaos-step';

export const ANALYSIS_TEMPLATE = 'chaos-check';

/** Four steps: a weight, an inline analysis (so the AnalysisRun controller takes part), a weight, a pause. */
export const CANARY_STEPS: readonly CanaryStep[] = [
  { setWeight: 50 },
  { analysis: { templates: [{ templateName: ANALYSIS_TEMPLATE }] } },
  { setWeight: 100 },
  { pause: { duration: '1s' } },
] as CanaryStep[];

/** One web measurement against the harness's health endpoint (`{"data":{"ok":true}}`). */
export function analysisTemplate(namespace: string, healthUrl: string): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: ANALYSIS_TEMPLATE, namespace },
    spec: {
      metrics: [
        {
          name: 'ok',
          count: 1,
          successCondition: 'result.ok == true',
          provider: { web: { url: healthUrl, jsonPath: '{$.data}', timeoutSeconds: 5 } },
        },
      ],
    },
  };
}

export const rolloutName = (i: number) => `r${i}`;
export const rolloutChannel = (name: string) => `chaos-${name}`;
export const rolloutImage = (name: string, version: number) => `chaos/${name}:v${version}`;

export function chaosRollout(namespace: string, name: string, replicas: number, image: string): KubeObject {
  return {
    ...ROLLOUT,
    metadata: {
      name,
      namespace,
      annotations: {
        'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': rolloutChannel(name),
      },
    },
    spec: {
      replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image }] },
      },
      strategy: { canary: { steps: CANARY_STEPS } },
    },
  };
}

/** One line per completed step: `chaos-step rollout=r1 hash=… image=… step=2/4` (parsed by the ledger). */
export function rolloutNotificationConfig(namespace: string, slackApiUrl: string): KubeObject[] {
  const message =
    'chaos-step rollout={{.rollout.metadata.name}} hash={{.rollout.status.currentPodHash}} ' +
    'image={{(index .rollout.spec.template.spec.containers 0).image}} ' +
    'step={{.rollout.status.currentStepIndex}}/{{len .rollout.spec.strategy.canary.steps}}';
  return [
    {
      ...CONFIG_MAP,
      metadata: { name: 'argo-rollouts-notification-configmap', namespace },
      data: {
        'service.slack': `token: $slack-token\napiURL: ${slackApiUrl}\nusername: slipway\n`,
        'trigger.on-rollout-step-completed': `- send: [${STEP_TEMPLATE}]\n`,
        [`template.${STEP_TEMPLATE}`]: `message: ${JSON.stringify(message)}\n`,
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'argo-rollouts-notification-secret', namespace },
      type: 'Opaque',
      stringData: { 'slack-token': SLACK_TOKEN },
    },
  ];
}

/** What Git says one app should be; commits change it, drifts fight it. */
export interface AppDesired {
  replicas: number;
  image: string;
  config: string;
  readonly extras: Set<string>;
}

export const appName = (i: number) => `app${i}`;

export function appFiles(name: string, d: AppDesired): Record<string, string> {
  const files: Record<string, string> = {
    [`apps/${name}/deployment.yaml`]: JSON.stringify(
      {
        ...DEPLOYMENT,
        metadata: { name: `${name}-web` },
        spec: {
          replicas: d.replicas,
          selector: { matchLabels: { app: `${name}-web` } },
          template: {
            metadata: { labels: { app: `${name}-web` } },
            spec: { containers: [{ name: 'web', image: d.image }] },
          },
        },
      },
      null,
      2,
    ),
    [`apps/${name}/configmap.yaml`]: JSON.stringify(
      { ...CONFIG_MAP, metadata: { name: `${name}-config` }, data: { config: d.config } },
      null,
      2,
    ),
  };
  for (const extra of d.extras)
    files[`apps/${name}/${extra}.yaml`] = JSON.stringify(
      { ...CONFIG_MAP, metadata: { name: `${name}-${extra}` }, data: { extra } },
      null,
      2,
    );
  return files;
}

export function chaosApplication(namespace: string, name: string, repoURL: string): KubeObject {
  return {
    ...APPLICATION,
    metadata: { name, namespace },
    spec: {
      project: 'default',
      source: { repoURL, targetRevision: 'main', path: `apps/${name}` },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}
