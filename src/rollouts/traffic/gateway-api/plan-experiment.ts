/**
 * Experiment backends on an HTTPRoute (the plugin's `HandleExperiment`), applied after the weights. Pure.
 *
 * While `status.canary.currentExperiment` is set, each additional destination missing from the first rule
 * that routes to the stable or canary Service is appended to it (port: the Service's `http` port, else its
 * first port, else 8080) and the stable backend gets `100 - Σ experiment weights` (capped at 100). When the
 * experiment is over, the backends recorded in `status.canary.weights.additional` are removed again and the
 * split goes back to stable 100 / canary 0. Backends nobody told the plugin about are never touched.
 */
import type { AdditionalDestination } from '../router.js';
import type { BackendRef, RouteRule } from './route-shapes.js';

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
}

export interface ExperimentInput {
  readonly namespace: string;
  readonly canaryService: string;
  readonly stableService: string;
  /** `status.canary.currentExperiment` is set. */
  readonly isExperimentActive: boolean;
  /** `status.canary.weights.additional[].serviceName`: the backends added on an earlier reconcile. */
  readonly previousServices: readonly string[];
  readonly additional: readonly AdditionalDestination[];
  /** The ports of the additional destinations' Services; a missing entry means the Service was not found. */
  readonly servicePorts: Readonly<Record<string, readonly ServicePort[]>>;
}

const DEFAULT_PORT = 8080;

function experimentPort(ports: readonly ServicePort[]): number {
  let port = ports.find((p) => p.name === 'http')?.port ?? DEFAULT_PORT;
  // the plugin's rule, kept as is: a port still equal to 8080 gives way to the Service's first port
  if (ports.length > 0 && port === DEFAULT_PORT) port = ports[0]?.port ?? port;
  return port;
}

/** The rules with experiment backends added or removed; the same array when nothing applies. */
export function planExperimentBackends(
  rules: readonly RouteRule[],
  input: ExperimentInput,
): readonly RouteRule[] {
  const { stableService, canaryService } = input;
  const ruleIdx = rules.findIndex((r) =>
    (r.backendRefs ?? []).some((b) => b.name === stableService || b.name === canaryService),
  );
  const rule = rules[ruleIdx];
  if (rule === undefined) return rules;
  const refs = rule.backendRefs ?? [];
  const previous = new Set(input.previousServices);

  if (input.isExperimentActive) {
    if (input.additional.length === 0) return rules;
    const total = Math.min(
      100,
      input.additional.reduce((sum, d) => sum + d.weight, 0),
    );
    const stableWeight = 100 - total;
    const stableIdx = refs.findIndex((b) => b.name === stableService);
    const next: BackendRef[] = refs.map((b, i) => (i === stableIdx ? { ...b, weight: stableWeight } : b));
    for (const dest of input.additional) {
      if (next.some((b) => b.name === dest.serviceName)) continue;
      const ports = input.servicePorts[dest.serviceName];
      if (ports === undefined) continue;
      next.push({
        name: dest.serviceName,
        namespace: input.namespace,
        port: experimentPort(ports),
        weight: dest.weight,
      });
    }
    return rules.map((r, i) => (i === ruleIdx ? { ...r, backendRefs: next } : r));
  }

  if (!refs.some((b) => b.name !== undefined && previous.has(b.name))) return rules;
  const next = refs
    .filter((b) => !(b.name !== undefined && previous.has(b.name)))
    .map((b) => {
      if (b.name === stableService) return { ...b, weight: 100 };
      if (b.name === canaryService) return { ...b, weight: 0 };
      return b;
    });
  return rules.map((r, i) => (i === ruleIdx ? { ...r, backendRefs: next } : r));
}
