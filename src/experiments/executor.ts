/**
 * Runs an Experiment decision's actions against the API server, in the decision's order, each one
 * idempotent. A refusal the user must fix (invalid object, RBAC, a foreign object in the way) is
 * returned as a failure message for the status, as Argo reports it; a transient failure (conflict,
 * throttling, an unavailable server) is thrown, and the reconcile is retried with backoff.
 */
import type { EventRecorder, EventSubject, StatusWriter } from '../core/index.js';
import { isAlreadyExists, isNotFound, isRetryable, type KubeClient, type KubeObject } from '../kube/index.js';
import { type ReplicaSet, SCALE_DOWN_DEADLINE_ANNOTATION } from '../rollouts/index.js';
import { type ExperimentAction, failureKey } from './actions.js';
import { isSameTemplateReplicaSet, isTemplateObject } from './template-objects.js';
import type { Experiment } from './types.js';

export const EXPERIMENTS_FIELD_MANAGER = 'slipway-experiments';

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;
const SVC = { apiVersion: 'v1', kind: 'Service' } as const;
const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

export interface ExperimentExecutorOptions {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  /** Read-your-writes for the Experiments and ReplicaSets written here. */
  readonly written: StatusWriter;
}

export function experimentSubject(ex: Experiment): EventSubject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: {
      ...(ex.metadata.name !== undefined && { name: ex.metadata.name }),
      ...(ex.metadata.namespace !== undefined && { namespace: ex.metadata.namespace }),
      ...(ex.metadata.uid !== undefined && { uid: ex.metadata.uid }),
    },
  };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class ExperimentExecutor {
  constructor(private readonly options: ExperimentExecutorOptions) {}

  /** Runs the actions; returns the failures the status must report, by `failureKey`. */
  async run(ex: Experiment & KubeObject, actions: readonly ExperimentAction[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    for (const action of actions) {
      try {
        const refused = await this.runOne(ex, action);
        if (refused !== undefined) failures.set(failureKey(action), refused);
      } catch (err) {
        // a name taken by an object the cache has not shown us yet: decide again with a fresher cache
        if (isRetryable(err) || isAlreadyExists(err)) throw err;
        failures.set(failureKey(action), messageOf(err));
        if (action.type === 'createReplicaSet')
          this.warn(
            ex,
            'ReplicaSetCreateError',
            `Failed to create new replica set "${action.replicaSet.metadata.name ?? ''}": ${messageOf(err)}`,
          );
        if (action.type === 'scaleReplicaSet')
          this.warn(
            ex,
            'ReplicaSetUpdateError',
            `Failed to scale ${action.name} ${action.to > action.from ? 'up' : 'down'}: ${messageOf(err)}`,
          );
      }
    }
    return failures;
  }

  /** Writes the Experiment with its new status (no status subresource, as upstream) when it changed. */
  async writeStatus(ex: Experiment & KubeObject, status: Experiment['status']): Promise<void> {
    await this.options.written.writeStatus({
      current: ex,
      status,
      write: (next) =>
        this.options.client.replace<Experiment & KubeObject>(next, {
          fieldManager: EXPERIMENTS_FIELD_MANAGER,
        }),
    });
  }

  private warn(ex: Experiment, reason: string, message: string): void {
    this.options.events.warning(experimentSubject(ex), reason, message);
  }

  /** One action; a string is a refusal for the status. */
  private async runOne(ex: Experiment & KubeObject, action: ExperimentAction): Promise<string | undefined> {
    const { client, written, events } = this.options;
    const namespace = ex.metadata.namespace ?? '';
    const write = { fieldManager: EXPERIMENTS_FIELD_MANAGER };
    switch (action.type) {
      case 'createReplicaSet': {
        const name = action.replicaSet.metadata.name ?? '';
        try {
          const created = await client.create<ReplicaSet>(action.replicaSet, write);
          written.remember(created);
          const size = action.replicaSet.spec?.replicas ?? 0;
          if (size > 0)
            events.normal(
              experimentSubject(ex),
              'NewReplicaSetCreated',
              `Created new replica set "${name}" with size ${size}`,
            );
          return undefined;
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          const existing = await client.get<ReplicaSet>({ ...RS, namespace, name });
          // our own create that the cache has not seen yet
          if (isSameTemplateReplicaSet(ex, action.replicaSet, existing)) return undefined;
          return `replicasets.apps "${name}" already exists`;
        }
      }
      case 'scaleReplicaSet': {
        try {
          const scaled = await client.patch<ReplicaSet>(
            { ...RS, namespace, name: action.name },
            { spec: { replicas: action.to } },
            { type: 'merge', ...write },
          );
          written.remember(scaled);
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
        const direction = action.to > action.from ? 'up' : 'down';
        events.normal(
          experimentSubject(ex),
          'ScalingReplicaSet',
          `Scaled ${direction} ReplicaSet ${action.name} from ${action.from} to ${action.to}`,
        );
        return undefined;
      }
      case 'setScaleDownDeadline': {
        try {
          const patched = await client.patch<ReplicaSet>(
            { ...RS, namespace, name: action.name },
            { metadata: { annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: action.deadline } } },
            { type: 'merge', ...write },
          );
          written.remember(patched);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        return undefined;
      }
      case 'createService': {
        const name = action.service.metadata.name ?? '';
        try {
          await client.create(action.service, write);
          return undefined;
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          const existing = await client.get<KubeObject>({ ...SVC, namespace, name });
          if (isTemplateObject(existing, ex, action.template)) return undefined;
          return `service ${name} already exists and is not owned by experiment template ${action.template}`;
        }
      }
      case 'deleteService': {
        try {
          await client.delete({ ...SVC, namespace, name: action.name });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        return undefined;
      }
      case 'createAnalysisRun': {
        const name = action.run.metadata.name ?? '';
        try {
          await client.create(action.run, write);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          // our own create whose status write was lost: the status names it again
          const existing = await client.get<KubeObject>({ ...AR, namespace, name });
          const owner = existing.metadata.ownerReferences?.find((r) => r.controller === true);
          if (owner?.uid !== ex.metadata.uid) throw err;
        }
        return undefined;
      }
      case 'terminateAnalysisRun': {
        try {
          await client.patch(
            { ...AR, namespace, name: action.name },
            { spec: { terminate: true } },
            { type: 'merge', ...write },
          );
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        return undefined;
      }
    }
  }
}
