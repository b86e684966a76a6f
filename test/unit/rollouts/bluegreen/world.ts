// A tiny in-memory world for the blue-green decision: ReplicaSets become available as soon as they are
// scaled (unless held), Services take the selectors the actions set, AnalysisRuns are created as asked.
// Each `step` runs one reconcile of the pure decision and applies its actions the way the executor would.

import type { KubeObject } from '../../../../src/kube/index.js';
import {
  type AnalysisRun,
  blueGreenStrategy,
  computePodTemplateHash,
  POD_TEMPLATE_HASH_LABEL,
  type ReplicaSet,
  type Rollout,
  type RolloutAction,
  type RolloutStatus,
} from '../../../../src/rollouts/index.js';
import { revisionAnnotations } from '../../../../src/rollouts/replica-sets/revision-history.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

const toKubeSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export interface WorldOptions {
  readonly replicas?: number;
  readonly blueGreen?: Record<string, unknown>;
}

export class BlueGreenWorld {
  rollout: Rollout & { metadata: NonNullable<Rollout['metadata']> };
  replicaSets: ReplicaSet[] = [];
  services = new Map<string, KubeObject>();
  runs: AnalysisRun[] = [];
  now = T0;
  /** Hashes whose pods never become available. */
  unavailable = new Set<string>();
  log: string[] = [];
  private revision = 0;

  constructor(o: WorldOptions = {}) {
    this.rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'bg', namespace: 'ns', uid: 'uid-1', generation: 1 },
      spec: {
        replicas: o.replicas ?? 2,
        selector: { matchLabels: { app: 'bg' } },
        template: { metadata: { labels: { app: 'bg' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } },
        strategy: {
          blueGreen: { activeService: 'active', previewService: 'preview', ...(o.blueGreen ?? {}) },
        },
      },
    } as never;
    for (const name of ['active', 'preview'])
      this.services.set(name, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: 'ns' },
        spec: { selector: { app: 'bg' } },
      });
  }

  selector(service: string): string {
    const spec = this.services.get(service)?.spec as { selector?: Record<string, string> } | undefined;
    return spec?.selector?.[POD_TEMPLATE_HASH_LABEL] ?? '';
  }

  get status(): RolloutStatus {
    return this.rollout.status ?? {};
  }

  setImage(image: string): void {
    const spec = this.rollout.spec as { template: { spec: { containers: { image: string }[] } } };
    spec.template.spec.containers[0]!.image = image;
    this.rollout.metadata = {
      ...this.rollout.metadata,
      generation: (this.rollout.metadata.generation ?? 0) + 1,
    };
  }

  /** A merge patch of status (null removes a field), as the kubectl plugin sends one. */
  patchStatus(patch: Record<string, unknown>): void {
    const next: Record<string, unknown> = { ...this.status };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    this.rollout = { ...this.rollout, status: next as RolloutStatus };
  }

  /** The events and the requeue of the last step. */
  lastEvents: string[] = [];
  lastRequeueMs: number | undefined;

  rs(hash: string): ReplicaSet | undefined {
    return this.replicaSets.find((r) => r.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
  }

  run(kind: 'PrePromotion' | 'PostPromotion'): AnalysisRun | undefined {
    return this.runs.filter((r) => r.metadata.labels?.['rollout-type'] === kind).at(-1);
  }

  setRunPhase(run: AnalysisRun, phase: string, message?: string): void {
    this.runs = this.runs.map((r) =>
      r === run ? { ...r, status: { phase, ...(message !== undefined && { message }) } } : r,
    );
  }

  private ensureNewRS(): { rs: ReplicaSet; created: boolean } {
    const hash = computePodTemplateHash(this.rollout.spec?.template, undefined);
    const found = this.rs(hash);
    if (found !== undefined) {
      // a reused ReplicaSet (undo, rollback) moves to the newest revision, as the reconciler does
      const revision = Number(found.metadata.annotations?.['rollout.argoproj.io/revision']);
      if (revision === this.revision) return { rs: found, created: false };
      this.revision++;
      const bumped = {
        ...found,
        metadata: {
          ...found.metadata,
          annotations: { ...found.metadata.annotations, ...revisionAnnotations(found, this.revision) },
        },
      };
      this.replicaSets = this.replicaSets.map((rs) => (rs === found ? bumped : rs));
      return { rs: bumped, created: false };
    }
    this.revision++;
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `bg-${hash}`,
        namespace: 'ns',
        uid: `rs-${hash}`,
        labels: { app: 'bg', [POD_TEMPLATE_HASH_LABEL]: hash },
        annotations: { 'rollout.argoproj.io/revision': String(this.revision) },
        // the API server's precision: whole seconds
        creationTimestamp: toKubeSeconds(this.now),
      },
      spec: { replicas: 0, selector: { matchLabels: { app: 'bg', [POD_TEMPLATE_HASH_LABEL]: hash } } },
      status: { replicas: 0, availableReplicas: 0, readyReplicas: 0 },
    } as ReplicaSet;
    this.replicaSets.push(rs);
    return { rs, created: true };
  }

  /** Pods catch up with spec.replicas (unless the hash is held unavailable). */
  settlePods(): void {
    this.replicaSets = this.replicaSets.map((rs) => {
      const n = rs.spec?.replicas ?? 0;
      const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
      const available = this.unavailable.has(hash) ? 0 : n;
      return { ...rs, status: { replicas: n, availableReplicas: available, readyReplicas: available } };
    });
  }

  /** One reconcile: decide, then apply every action; returns the action types. */
  step(advanceMs = 1000): RolloutAction[] {
    this.now += advanceMs;
    const { rs: newRS, created } = this.ensureNewRS();
    const hash = newRS.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
    const decision = blueGreenStrategy.decide({
      rollout: this.rollout,
      replicaSets: this.replicaSets,
      newRS,
      newRSCreated: created,
      currentPodHash: hash,
      revision: Number(newRS.metadata.annotations?.['rollout.argoproj.io/revision']),
      runs: this.runs,
      services: this.services,
      now: this.now,
    });
    this.lastEvents = decision.actions
      .filter((a) => a.type === 'recordEvent')
      .map((a) => `${a.params.reason}: ${a.params.message}`);
    const requeue = decision.actions.find((a) => a.type === 'requeueAfter');
    this.lastRequeueMs = requeue?.type === 'requeueAfter' ? requeue.params.ms : undefined;
    for (const a of decision.actions) this.apply(a);
    this.rollout = { ...this.rollout, status: JSON.parse(JSON.stringify(decision.status)) };
    this.settlePods();
    return [...decision.actions];
  }

  private apply(a: RolloutAction): void {
    switch (a.type) {
      case 'pointService': {
        const name = a.params.service.metadata.name ?? '';
        const svc = this.services.get(name)!;
        const spec = svc.spec as { selector: Record<string, string> };
        this.services.set(name, {
          ...svc,
          metadata: {
            ...svc.metadata,
            annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'bg' },
          },
          spec: { ...spec, selector: { ...spec.selector, [POD_TEMPLATE_HASH_LABEL]: a.params.to } },
        });
        this.log.push(`point ${name} ${a.params.to}`);
        return;
      }
      case 'scaleReplicaSet': {
        const target = a.params.replicaSet.metadata.name;
        this.replicaSets = this.replicaSets.map((rs) => {
          if (rs.metadata.name !== target) return rs;
          const annotations = { ...(rs.metadata.annotations ?? {}) };
          if (a.params.scaleDownDeadline === null) delete annotations['scale-down-deadline'];
          else if (a.params.scaleDownDeadline !== undefined)
            annotations['scale-down-deadline'] = a.params.scaleDownDeadline;
          return {
            ...rs,
            metadata: { ...rs.metadata, annotations },
            spec: { ...rs.spec, replicas: a.params.to },
          };
        });
        if (a.params.from !== a.params.to) this.log.push(`scale ${target} ${a.params.from}->${a.params.to}`);
        return;
      }
      case 'createAnalysisRun': {
        if (this.runs.some((r) => r.metadata.name === a.params.name)) return;
        this.runs.push({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          metadata: {
            name: a.params.name,
            namespace: 'ns',
            labels: { [POD_TEMPLATE_HASH_LABEL]: a.params.podHash, 'rollout-type': a.params.type },
            creationTimestamp: new Date(this.now).toISOString(),
          },
          spec: {},
        });
        this.log.push(`create run ${a.params.name}`);
        return;
      }
      case 'terminateAnalysisRun':
        this.runs = this.runs.map((r) =>
          r.metadata.name === a.params.metadata.name ? { ...r, spec: { ...r.spec, terminate: true } } : r,
        );
        this.log.push(`terminate run ${a.params.metadata.name}`);
        return;
      case 'recordEvent':
        this.log.push(`event ${a.params.reason}: ${a.params.message}`);
        return;
      case 'deleteReplicaSet':
        this.replicaSets = this.replicaSets.filter((rs) => rs.metadata.name !== a.params.metadata.name);
        return;
      default:
        return;
    }
  }
}
