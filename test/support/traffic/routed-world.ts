// Shared set-up and observations for traffic-routed Rollout scenarios: the canary and stable Services, the
// `success-rate` analysis the seed runs (an in-process AnalysisRun controller measuring a web metric this
// process serves), and the weight trace a routed object went through, read from the world history.
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import { startAnalysisController } from '../fixtures/analysis-controller.js';
import type { RolloutObject } from '../fixtures/rollout-scenario.js';
import type { SeenWrite, WorldHistory } from '../fixtures/world-history.js';
import { startLocalHttpServer } from '../local-http-server.js';

export const SERVICE = { apiVersion: 'v1', kind: 'Service' } as const;
export const REPLICA_SET = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

/** Creates the Services a canary names, selecting `app: <app>` until the controller points them at hashes. */
export async function createServices(
  client: KubeClient,
  namespace: string,
  app: string,
  names: readonly string[],
): Promise<void> {
  for (const name of names)
    await client.create({
      ...SERVICE,
      metadata: { name, namespace },
      spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
}

/** The seed's analysis step, with its `success-rate` template. */
export const SUCCESS_RATE_STEP = {
  analysis: {
    templates: [{ templateName: 'success-rate' }],
    args: [{ name: 'service-name', value: 'web-canary' }],
  },
} as const;

export interface SuccessRateAnalysis {
  /** How many times the metric was measured. */
  measured(): number;
  stop(): Promise<void>;
}

/**
 * The seed's `success-rate` AnalysisTemplate in `namespace`, measured from a web metric served here (always
 * 0.99) by an in-process AnalysisRun controller.
 */
export async function startSuccessRateAnalysis(
  client: KubeClient,
  namespace: string,
): Promise<SuccessRateAnalysis> {
  let measured = 0;
  const server = await startLocalHttpServer((_req, res) => {
    measured++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ rate: 0.99 }));
  });
  const controller = await startAnalysisController(namespace);
  await client.create({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'success-rate', namespace },
    spec: {
      args: [{ name: 'service-name' }],
      metrics: [
        {
          name: 'success-rate',
          successCondition: 'result >= 0.95',
          provider: {
            web: {
              url: `${server.base}/rate/{{args.service-name}}`,
              jsonPath: '{$.rate}',
              timeoutSeconds: 5,
            },
          },
        },
      ],
    },
  });
  return {
    measured: () => measured,
    async stop() {
      await controller.stop();
      await server.close();
    },
  };
}

/** `status.canary.weights` as `stable/canary`, or undefined when not written. */
export function statusWeights(r: RolloutObject): string | undefined {
  const w = r.status?.canary?.weights;
  return w === undefined ? undefined : `${w.stable.weight}/${w.canary.weight}`;
}

/** Reads `stable/canary` weights from a routed object (VirtualService, TrafficSplit, Ingress, HTTPRoute…). */
export type WeightReader = (object: KubeObject | undefined) => string;

/** Consecutive distinct weights of one routed object written after `from`, with the write that set each. */
export function weightTrace(
  history: WorldHistory,
  kind: string,
  name: string,
  read: WeightReader,
  from: bigint,
): { weights: string; write: SeenWrite }[] {
  const out: { weights: string; write: SeenWrite }[] = [];
  let last = read(history.before(kind, name, from + 1n));
  for (const write of history.writesOf(kind, name)) {
    if (write.revision <= from) continue;
    const weights = read(write.type === 'DELETED' ? undefined : write.object);
    if (weights !== last) out.push({ weights, write });
    last = weights;
  }
  return out;
}

/**
 * Every status write of the Rollout after `from` whose `status.canary.weights` the routed object did not
 * carry at that moment: the executor sets weights before it commits status, so status never runs ahead.
 */
export function statusAheadOfRouter(
  history: WorldHistory,
  rollout: string,
  kind: string,
  name: string,
  read: WeightReader,
  from: bigint,
): string[] {
  const out: string[] = [];
  let last: string | undefined;
  for (const w of history.writesOf('Rollout', rollout)) {
    if (w.revision <= from) continue;
    const weights = statusWeights(w.object as RolloutObject);
    if (weights === undefined || weights === last) continue;
    last = weights;
    const routed = read(history.before(kind, name, w.revision + 1n));
    if (routed !== weights)
      out.push(`status ${weights} at revision ${w.revision} while ${kind} had ${routed}`);
  }
  return out;
}
