import { fileURLToPath } from 'node:url';
import {
  calculateBasicCanaryReplicas,
  calculateTrafficRoutedCanaryReplicas,
  canaryReplicasOrWeight,
} from '../../../../src/rollouts/index.js';
import { askGoReference, buildGoReference } from '../go-reference.js';
import type { ReplicaAnswer, ReplicaCase } from './generate.js';

const buildScript = fileURLToPath(new URL('./build.sh', import.meta.url));

/** Builds (once; cached in ~/.cache/slipway/bin) the Go reference, or says why it is skipped. */
export function referenceBinary(): { readonly path?: string; readonly skip?: string } {
  return buildGoReference(buildScript, 'Argo Rollouts replica-math');
}

/** Answers every case with Argo's Go functions (one process, one line per case). */
export function askReference(binary: string, cases: readonly ReplicaCase[]): ReplicaAnswer[] {
  return askGoReference<ReplicaAnswer>(
    binary,
    cases.map((c) => c.go),
    'replica-math',
  );
}

/**
 * Why our functions disagree with Argo's answer for one case, or undefined when they agree: the
 * canary/stable sizes, and for a traffic-routed canary also GetCanaryReplicasOrWeight's pair.
 */
export function disagreement(c: ReplicaCase, go: ReplicaAnswer): string | undefined {
  if (go.error !== undefined) return `the Go reference failed: ${go.error}`;
  if (c.kind === 'basic') {
    const ours = calculateBasicCanaryReplicas(c.input);
    if (ours.canary === go.basicCanary && ours.stable === go.basicStable) return undefined;
    return `basic: go ${go.basicCanary}/${go.basicStable}, ours ${ours.canary}/${ours.stable}`;
  }
  const ours = calculateTrafficRoutedCanaryReplicas(c.input);
  const scale = canaryReplicasOrWeight(c.input);
  if (
    ours.canary === go.canary &&
    ours.stable === go.stable &&
    scale.replicas === go.scaleReplicas &&
    scale.weight === go.scaleWeight
  )
    return undefined;
  return (
    `traffic-routed: go ${go.canary}/${go.stable} (replicas ${go.scaleReplicas}, weight ${go.scaleWeight}), ` +
    `ours ${ours.canary}/${ours.stable} (replicas ${scale.replicas}, weight ${scale.weight})`
  );
}
