import { stringify } from 'yaml';

/** The demo's Git content: a Rollout gated by a Prometheus AnalysisTemplate, a Service, notifications config. */
export interface DemoSettings {
  readonly version: string;
  readonly prometheusUrl: string;
  readonly pause: string;
  readonly analysisInterval: string;
  /** Time for a new canary's traffic to reach Prometheus before the first measurement. */
  readonly analysisDelay: string;
  readonly rolloutsCatalog: Record<string, string>;
}

export const DEMO_NAMESPACE = 'demo';
export const APP_NAMESPACE = 'argocd';

export function repoFiles(s: DemoSettings): Record<string, string> {
  const rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name: 'demo',
      namespace: DEMO_NAMESPACE,
      annotations: {
        'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': 'deploys',
        'notifications.argoproj.io/subscribe.on-rollout-completed.slack': 'deploys',
        'notifications.argoproj.io/subscribe.on-rollout-aborted.slack': 'alerts',
        'notifications.argoproj.io/subscribe.on-analysis-run-failed.slack': 'alerts',
      },
    },
    spec: {
      replicas: 5,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { app: 'demo' } },
      template: {
        metadata: { labels: { app: 'demo' } },
        spec: {
          containers: [
            {
              name: 'demo',
              image: `slipway/demo-app:${s.version}`,
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
        },
      },
      strategy: {
        canary: {
          steps: [
            { setWeight: 20 },
            { pause: { duration: s.pause } },
            {
              // Gate: the canary goes on only if its pods' success rate holds over three measurements.
              analysis: {
                templates: [{ templateName: 'success-rate' }],
                args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
              },
            },
            ...[40, 60, 80].flatMap((w) => [{ setWeight: w }, { pause: { duration: s.pause } }]),
          ],
        },
      },
    },
  };
  const template = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'success-rate', namespace: DEMO_NAMESPACE },
    spec: {
      args: [{ name: 'canary-hash' }],
      metrics: [
        {
          name: 'success-rate',
          interval: s.analysisInterval,
          initialDelay: s.analysisDelay,
          count: 3,
          successCondition: 'result[0] >= 0.95',
          failureLimit: 1,
          provider: {
            prometheus: {
              address: s.prometheusUrl,
              query: [
                'sum(rate(http_requests_total{rollouts_pod_template_hash="{{args.canary-hash}}",code!="500"}[10s]))',
                '/',
                'sum(rate(http_requests_total{rollouts_pod_template_hash="{{args.canary-hash}}"}[10s]))',
              ].join('\n'),
            },
          },
        },
      ],
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'demo', namespace: DEMO_NAMESPACE },
    spec: { selector: { app: 'demo' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const notifications = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argo-rollouts-notification-configmap', namespace: DEMO_NAMESPACE },
    data: s.rolloutsCatalog,
  };
  return {
    'apps/demo/rollout.yaml': stringify(rollout),
    'apps/demo/analysis-template.yaml': stringify(template),
    'apps/demo/service.yaml': stringify(service),
    'apps/demo/notifications.yaml': stringify(notifications),
  };
}

export function application(repoUrl: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'demo',
      namespace: APP_NAMESPACE,
      annotations: {
        'notifications.argoproj.io/subscribe.on-deployed.slack': 'deploys',
        'notifications.argoproj.io/subscribe.on-health-degraded.slack': 'alerts',
        'notifications.argoproj.io/subscribe.on-out-of-sync.slack': 'alerts',
      },
    },
    spec: {
      project: 'default',
      source: { repoURL: repoUrl, targetRevision: 'main', path: 'apps/demo' },
      destination: { server: 'https://kubernetes.default.svc', namespace: DEMO_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}
