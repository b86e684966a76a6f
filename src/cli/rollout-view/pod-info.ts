import type { KubeObject } from '../../kube/index.js';

interface ContainerState {
  readonly waiting?: { readonly reason?: string };
  readonly running?: Readonly<Record<string, unknown>>;
  readonly terminated?: { readonly reason?: string; readonly exitCode?: number; readonly signal?: number };
}

interface ContainerStatus {
  readonly name?: string;
  readonly ready?: boolean;
  readonly started?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerState;
}

/** The parts of a Pod the view reads. */
export type PodObject = KubeObject & {
  readonly spec?: {
    readonly containers?: readonly unknown[];
    readonly initContainers?: readonly { readonly name?: string; readonly restartPolicy?: string }[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly initContainerStatuses?: readonly ContainerStatus[];
    readonly containerStatuses?: readonly ContainerStatus[];
  };
};

export interface PodInfo {
  readonly name: string;
  readonly creationTimestamp: string | undefined;
  /** What kubectl's STATUS column would say: Running, Pending, ContainerCreating, Init:0/1, ExitCode:1… */
  readonly status: string;
  /** `ready/total` containers. */
  readonly ready: string;
  readonly restarts: number;
}

const terminatedReason = (t: NonNullable<ContainerState['terminated']>, prefix: string): string =>
  t.reason
    ? `${prefix}${t.reason}`
    : t.signal
      ? `${prefix}Signal:${t.signal}`
      : `${prefix}ExitCode:${t.exitCode ?? 0}`;

/** An init container that is still initialising the pod: the pod's reason, else undefined. */
function initReason(pod: PodObject): { reason: string; restarts: number } | undefined {
  const sidecars = new Set(
    (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
  );
  const statuses = pod.status?.initContainerStatuses ?? [];
  let restarts = 0;
  for (const [i, c] of statuses.entries()) {
    restarts += c.restartCount ?? 0;
    const t = c.state?.terminated;
    if (t !== undefined && (t.exitCode ?? 0) === 0) continue;
    if (t !== undefined) return { reason: terminatedReason(t, 'Init:'), restarts };
    if (sidecars.has(c.name) && c.started === true) {
      if (c.ready === true) continue;
      return undefined; // a started sidecar that is not ready yet: the pod is not initialising
    }
    const waiting = c.state?.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return { reason: `Init:${waiting}`, restarts };
    return { reason: `Init:${i}/${pod.spec?.initContainers?.length ?? 0}`, restarts };
  }
  return undefined;
}

/** A pod as the plugin lists it under its ReplicaSet (its status like kubectl's STATUS column). */
export function podInfo(pod: PodObject): PodInfo {
  let reason = pod.status?.reason || pod.status?.phase || '';
  let restarts = 0;
  let ready = 0;
  const init = initReason(pod);
  if (init !== undefined) {
    reason = init.reason;
    restarts = init.restarts;
  } else {
    let running = false;
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i] ?? {};
      restarts += c.restartCount ?? 0;
      const { waiting, terminated } = c.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated !== undefined) reason = terminatedReason(terminated, '');
      else if (c.ready === true && c.state?.running !== undefined) {
        running = true;
        ready++;
      }
    }
    if (reason === 'Completed' && running) reason = 'Running';
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return {
    name: pod.metadata.name ?? '',
    creationTimestamp: pod.metadata.creationTimestamp,
    status: reason,
    ready: `${ready}/${pod.spec?.containers?.length ?? 0}`,
    restarts,
  };
}
