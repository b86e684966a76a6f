import { type ClusterConnectionConfig, clusterAccessFromConfig } from './cluster-config.js';
import { Discovery } from './discovery.js';
import { errorFromResponse, type InvolvedObject, isNotFound } from './errors.js';
import { type KubeConfigOptions, loadClusterAccess } from './kubeconfig.js';
import { type Impersonation, KubeTransport, type QueryValue } from './transport.js';
import type { GroupVersionKind, KubeList, KubeObject, ObjectRef, ResourceInfo, WatchEvent } from './types.js';

export interface ListOptions {
  /** Omit (or leave empty) for all namespaces of a namespaced kind. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size. Default 500. */
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
  /** Ask for metadata only (PartialObjectMetadataList): much smaller for kinds like Pods. */
  readonly metadataOnly?: boolean;
  readonly signal?: AbortSignal;
}

export interface WatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  /** Default true: the server sends BOOKMARK events that keep the resourceVersion fresh. */
  readonly allowWatchBookmarks?: boolean;
  /** Server-side watch duration. Default 300. */
  readonly timeoutSeconds?: number;
  /** Client-side stall detection. Default 90 s. */
  readonly idleTimeoutMs?: number;
  /** Ask for metadata only (PartialObjectMetadata events). */
  readonly metadataOnly?: boolean;
  readonly signal?: AbortSignal;
}

// Metadata-only reads (the API server's PartialObjectMetadata transformation), with plain JSON as
// the fallback for servers or aggregated APIs that cannot transform.
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const METADATA_OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/**
 * Names a listed or watched object after the kind that was asked for. The API server omits
 * apiVersion/kind on the items of a full list of built-in kinds, and a PartialObjectMetadata item names
 * itself meta.k8s.io/v1; callers (caches, inventories, prunes) need the real kind on every object.
 */
function restoreKind(obj: KubeObject, gvk: GroupVersionKind): void {
  const parsed = obj as { apiVersion?: string; kind?: string };
  parsed.apiVersion = gvk.apiVersion;
  parsed.kind = gvk.kind;
}

export interface WriteOptions {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
  /** Write a subresource ("status", "scale") instead of the main resource. */
  readonly subresource?: string;
  readonly signal?: AbortSignal;
}

export interface ApplyOptions extends WriteOptions {
  readonly fieldManager: string;
  /** Take ownership of fields other managers own. Default false. */
  readonly force?: boolean;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PatchOptions extends WriteOptions {
  readonly type: PatchType;
}

export interface DeleteOptions {
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

/** Reads arbitrary objects as raw JSON. */
export interface KubeReader {
  get<T extends KubeObject = KubeObject>(ref: ObjectRef, options?: { signal?: AbortSignal }): Promise<T>;
  list<T extends KubeObject = KubeObject>(gvk: GroupVersionKind, options?: ListOptions): Promise<KubeList<T>>;
  listAll<T extends KubeObject = KubeObject>(
    gvk: GroupVersionKind,
    options?: ListOptions,
  ): Promise<{ items: T[]; resourceVersion: string }>;
}

export interface KubeWatcher {
  watch<T extends KubeObject = KubeObject>(
    gvk: GroupVersionKind,
    options?: WatchOptions,
  ): AsyncGenerator<WatchEvent<T>>;
}

/** Writes arbitrary objects as raw JSON. */
export interface KubeWriter {
  create<T extends KubeObject = KubeObject>(obj: KubeObject, options?: WriteOptions): Promise<T>;
  apply<T extends KubeObject = KubeObject>(obj: KubeObject, options: ApplyOptions): Promise<T>;
  replace<T extends KubeObject = KubeObject>(obj: KubeObject, options?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, options: PatchOptions): Promise<T>;
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<void>;
  evict(pod: PodRef, options?: DeleteOptions): Promise<void>;
}

/** A pod by namespace and name. */
export interface PodRef {
  readonly namespace: string;
  readonly name: string;
}

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** The dynamic client: every kind, raw JSON, typed errors. */
export class KubeClient implements KubeReader, KubeWriter, KubeWatcher {
  readonly discovery: Discovery;

  /** Where kubectl would look without -n: the kubeconfig context's namespace, else "default". */
  get defaultNamespace(): string {
    return this.transport.defaultNamespace;
  }

  constructor(
    readonly transport: KubeTransport,
    discovery?: Discovery,
  ) {
    this.discovery = discovery ?? new Discovery(transport);
  }

  /**
   * A client acting as `who` (impersonation; the caller needs the `impersonate` verb), sharing this
   * client's connections, credentials and discovery. Closing it closes nothing.
   */
  impersonating(who: Impersonation): KubeClient {
    return new KubeClient(this.transport.impersonating(who), this.discovery);
  }

  static fromKubeConfig(options: KubeConfigOptions = {}): KubeClient {
    return new KubeClient(new KubeTransport(loadClusterAccess(options)));
  }

  /** A client for a cluster registered by an Argo CD cluster Secret (`name`, `server`, `config`). */
  static forCluster(name: string, server: string, config: ClusterConnectionConfig): KubeClient {
    return new KubeClient(new KubeTransport(clusterAccessFromConfig(name, server, config)));
  }

  /** The URL path of a kind's collection, or of one object when `name` is given. */
  async path(
    gvk: GroupVersionKind,
    namespace?: string,
    name?: string,
    subresource?: string,
  ): Promise<string> {
    const info = await this.discovery.resolve(gvk);
    return resourcePath(info, namespace, name, subresource);
  }

  async get<T extends KubeObject>(ref: ObjectRef, options: { signal?: AbortSignal } = {}): Promise<T> {
    const path = await this.path(ref, ref.namespace, ref.name);
    return this.transport.request<T>({ method: 'GET', path, object: involved(ref), signal: options.signal });
  }

  /** The object as the cluster holds it now, or undefined when it does not exist (any other error throws). */
  async getIfExists<T extends KubeObject>(o: {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly metadata: { readonly namespace?: string; readonly name?: string };
  }): Promise<T | undefined> {
    const ref: ObjectRef = {
      apiVersion: o.apiVersion ?? '',
      kind: o.kind ?? '',
      name: o.metadata.name ?? '',
      ...(o.metadata.namespace && { namespace: o.metadata.namespace }),
    };
    try {
      return await this.get<T>(ref);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list<T extends KubeObject>(gvk: GroupVersionKind, options: ListOptions = {}): Promise<KubeList<T>> {
    const path = await this.path(gvk, options.namespace);
    const query: Record<string, QueryValue> = {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit ?? 500,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
    };
    const list = await this.transport.request<KubeList<T>>({
      method: 'GET',
      path,
      query,
      signal: options.signal,
      ...(options.metadataOnly && { accept: METADATA_LIST }),
    });
    // an empty PartialObjectMetadataList says `"items": null`
    const items = list.items ?? [];
    for (const item of items) restoreKind(item, gvk);
    return list.items === items ? list : { ...list, items };
  }

  async listAll<T extends KubeObject>(
    gvk: GroupVersionKind,
    options: ListOptions = {},
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page: KubeList<T> = await this.list<T>(gvk, {
        ...options,
        ...(cont !== undefined && { continue: cont }),
      });
      items.push(...page.items);
      resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
      cont = page.metadata.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  async *watch<T extends KubeObject>(
    gvk: GroupVersionKind,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>> {
    const path = await this.path(gvk, options.namespace);
    const query: Record<string, QueryValue> = {
      watch: 1,
      allowWatchBookmarks: options.allowWatchBookmarks ?? true,
      timeoutSeconds: options.timeoutSeconds ?? 300,
      resourceVersion: options.resourceVersion,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    };
    const stream = this.transport.stream(
      {
        method: 'GET',
        path,
        query,
        signal: options.signal,
        object: involved(gvk),
        ...(options.metadataOnly && { accept: METADATA_OBJECT }),
      },
      options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {},
    );
    for await (const raw of stream) {
      const event = raw as { type?: string; object?: { code?: number } & KubeObject };
      if (event.type === 'ERROR')
        throw errorFromResponse(event.object?.code ?? 500, event.object, involved(gvk));
      if (!event.object) continue;
      restoreKind(event.object, gvk);
      yield event as WatchEvent<T>;
    }
  }

  async create<T extends KubeObject>(obj: KubeObject, options: WriteOptions = {}): Promise<T> {
    const path = await this.path(gvkOf(obj), obj.metadata.namespace, undefined, options.subresource);
    return this.transport.request<T>({
      method: 'POST',
      path,
      body: obj,
      query: writeQuery(options),
      object: involved(obj),
      signal: options.signal,
    });
  }

  async apply<T extends KubeObject>(obj: KubeObject, options: ApplyOptions): Promise<T> {
    const name = obj.metadata.name;
    const path = await this.path(gvkOf(obj), obj.metadata.namespace, name, options.subresource);
    return this.transport.request<T>({
      method: 'PATCH',
      path,
      body: obj,
      contentType: 'application/apply-patch+yaml',
      query: { ...writeQuery(options), force: options.force ? true : undefined },
      object: involved(obj),
      signal: options.signal,
    });
  }

  async replace<T extends KubeObject>(obj: KubeObject, options: WriteOptions = {}): Promise<T> {
    const path = await this.path(gvkOf(obj), obj.metadata.namespace, obj.metadata.name, options.subresource);
    return this.transport.request<T>({
      method: 'PUT',
      path,
      body: obj,
      query: writeQuery(options),
      object: involved(obj),
      signal: options.signal,
    });
  }

  async patch<T extends KubeObject>(ref: ObjectRef, patch: unknown, options: PatchOptions): Promise<T> {
    const path = await this.path(ref, ref.namespace, ref.name, options.subresource);
    return this.transport.request<T>({
      method: 'PATCH',
      path,
      body: patch,
      contentType: PATCH_CONTENT_TYPE[options.type],
      query: writeQuery(options),
      object: involved(ref),
      signal: options.signal,
    });
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<void> {
    const path = await this.path(ref, ref.namespace, ref.name);
    const body = deleteOptionsBody(options);
    await this.transport.request({
      method: 'DELETE',
      path,
      body,
      object: involved(ref),
      signal: options.signal,
    });
  }

  /**
   * Evicts a pod through the policy/v1 Eviction subresource, which honours PodDisruptionBudgets.
   * Throws KUBE_DISRUPTION_BUDGET (429) while a budget forbids it, KUBE_NOT_FOUND when the pod is gone.
   */
  async evict(pod: PodRef, options: DeleteOptions = {}): Promise<void> {
    const ref = { apiVersion: 'v1', kind: 'Pod', ...pod };
    const path = await this.path(ref, pod.namespace, pod.name, 'eviction');
    const body = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: pod.name, namespace: pod.namespace },
      ...(Object.keys(options).some((k) => k !== 'signal') && { deleteOptions: deleteOptionsBody(options) }),
    };
    await this.transport.request({
      method: 'POST',
      path,
      body,
      object: involved(ref),
      signal: options.signal,
    });
  }

  close(): void {
    this.transport.close();
  }
}

export function resourcePath(
  info: ResourceInfo,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  let path = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  if (info.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${info.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

function deleteOptionsBody(options: DeleteOptions): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    ...(options.propagationPolicy && { propagationPolicy: options.propagationPolicy }),
    ...(options.gracePeriodSeconds !== undefined && { gracePeriodSeconds: options.gracePeriodSeconds }),
    ...(options.preconditions && { preconditions: options.preconditions }),
    ...(options.dryRun && { dryRun: ['All'] }),
  };
}

function writeQuery(options: WriteOptions): Record<string, QueryValue> {
  return { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined };
}

function gvkOf(obj: KubeObject): GroupVersionKind {
  return { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' };
}

function involved(ref: Partial<ObjectRef> | KubeObject): InvolvedObject {
  if ('metadata' in ref && ref.metadata) {
    const o = ref as KubeObject;
    return {
      ...(o.apiVersion !== undefined && { apiVersion: o.apiVersion }),
      ...(o.kind !== undefined && { kind: o.kind }),
      ...(o.metadata.namespace !== undefined && { namespace: o.metadata.namespace }),
      ...(o.metadata.name !== undefined && { name: o.metadata.name }),
    };
  }
  const r = ref as Partial<ObjectRef>;
  return {
    ...(r.apiVersion !== undefined && { apiVersion: r.apiVersion }),
    ...(r.kind !== undefined && { kind: r.kind }),
    ...(r.namespace !== undefined && { namespace: r.namespace }),
    ...(r.name !== undefined && { name: r.name }),
  };
}
