import { isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';

/** What applying one object did (fluxcd/pkg ssa's change set vocabulary). */
export type ChangeAction = 'created' | 'configured' | 'unchanged' | 'deleted' | 'skipped';

export interface Change {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly action: ChangeAction;
  readonly object?: KubeObject;
}

export interface ApplyObjectOptions {
  readonly dryRun?: boolean;
  /** PUT the object instead of server-side apply (`Replace=true`); creates it when missing. */
  readonly replace?: boolean;
}

/** The field manager Slipway's sync applies as. */
export const FIELD_MANAGER = 'slipway-sync';

function change(obj: KubeObject, action: ChangeAction, object?: KubeObject): Change {
  return {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    ...(obj.metadata.namespace && { namespace: obj.metadata.namespace }),
    name: obj.metadata.name ?? '',
    action,
    ...(object && { object }),
  };
}

/**
 * The one place the sync loop writes managed objects: server-side apply with our field manager (force,
 * so Git wins over manual edits), replace when asked, delete with a propagation policy. Each call
 * reports the change it made.
 */
export class ResourceManager {
  constructor(private readonly client: KubeClient) {}

  /** SSA dry run: the object as it would be after applying (what the diff compares with live). */
  predict(obj: KubeObject): Promise<KubeObject> {
    return this.client.apply(obj, { fieldManager: FIELD_MANAGER, force: true, dryRun: true });
  }

  async apply(
    obj: KubeObject,
    live: KubeObject | undefined,
    options: ApplyObjectOptions = {},
  ): Promise<Change> {
    let result: KubeObject;
    if (options.replace) {
      const withVersion = live
        ? { ...obj, metadata: { ...obj.metadata, resourceVersion: live.metadata.resourceVersion } }
        : obj;
      result = live
        ? await this.client.replace(withVersion, {
            fieldManager: FIELD_MANAGER,
            dryRun: options.dryRun ?? false,
          })
        : await this.client.create(obj, { fieldManager: FIELD_MANAGER, dryRun: options.dryRun ?? false });
    } else {
      result = await this.client.apply(obj, {
        fieldManager: FIELD_MANAGER,
        force: true,
        dryRun: options.dryRun ?? false,
      });
    }
    if (!live) return change(obj, 'created', result);
    return change(
      obj,
      result.metadata.resourceVersion === live.metadata.resourceVersion ? 'unchanged' : 'configured',
      result,
    );
  }

  /** Creates a hook object (a fresh instance each sync). */
  async create(obj: KubeObject): Promise<Change> {
    const result = await this.client.create(obj, { fieldManager: FIELD_MANAGER });
    return change(result, 'created', result);
  }

  async delete(
    obj: KubeObject,
    propagationPolicy: 'Foreground' | 'Background' | 'Orphan' = 'Foreground',
  ): Promise<Change> {
    try {
      await this.client.delete(
        {
          apiVersion: obj.apiVersion ?? '',
          kind: obj.kind ?? '',
          name: obj.metadata.name ?? '',
          ...(obj.metadata.namespace && { namespace: obj.metadata.namespace }),
        },
        { propagationPolicy },
      );
      return change(obj, 'deleted');
    } catch (err) {
      if (isNotFound(err)) return change(obj, 'unchanged');
      throw err;
    }
  }
}
