/**
 * Argo ≥ 1.10's check of a running analysis Job's pods: a container stuck waiting for a reason it never
 * recovers from on its own (the image cannot be pulled) ends the measurement Inconclusive, so the
 * Rollout pauses for a person instead of waiting forever. Pure.
 */
import type { KubeObject } from '../../kube/index.js';

/** Container waiting reasons Argo treats as terminal for an analysis Job. */
export const TERMINAL_WAITING_REASONS: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
]);

interface ContainerStatus {
  readonly name?: string;
  readonly state?: { readonly waiting?: { readonly reason?: string; readonly message?: string } };
}

export interface JobPod extends KubeObject {
  readonly status?: {
    readonly initContainerStatuses?: readonly ContainerStatus[];
    readonly containerStatuses?: readonly ContainerStatus[];
  };
}

/** Argo's `processJobPods`: the first terminal container error among the pods, in Argo's words. */
export function terminalPodError(pods: readonly JobPod[]): string | undefined {
  for (const pod of pods) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const cs of statuses) {
      const waiting = cs.state?.waiting;
      if (waiting?.reason !== undefined && TERMINAL_WAITING_REASONS.has(waiting.reason))
        return `Pod ${pod.metadata.name ?? ''}, container ${cs.name ?? ''} has terminal error (${waiting.reason}): ${waiting.message ?? ''}\n`;
    }
  }
  return undefined;
}

/** Argo's growing poll of a running Job: √(2·elapsed seconds) seconds from now. */
export function jobResumeDelayMs(elapsedMs: number): number {
  return Math.sqrt((2 * Math.max(0, elapsedMs)) / 1000) * 1000;
}
