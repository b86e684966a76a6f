import { gunzipSync, gzipSync } from 'node:zlib';
import { isNotFound, type KubeClient, type KubeObject } from '../kube/index.js';
import type { Snapshot } from './helm-types.js';
import { FLUX_FIELD_MANAGER } from './status-write.js';

/** One Helm release as Helm's storage driver keeps it (the fields Slipway writes and reads). */
export interface StoredRelease {
  readonly name: string;
  readonly namespace: string;
  readonly version: number;
  readonly status:
    | 'deployed'
    | 'superseded'
    | 'failed'
    | 'pending-install'
    | 'pending-upgrade'
    | 'pending-rollback'
    | 'uninstalled';
  readonly description: string;
  readonly firstDeployed: string;
  readonly lastDeployed: string;
  readonly chartName: string;
  readonly chartVersion: string;
  readonly appVersion?: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** The rendered objects as one YAML stream (what a rollback applies again). */
  readonly manifest: string;
  /** The release's hooks Slipway keeps (its test hooks), as Helm stores them. */
  readonly hooks?: readonly StoredHook[];
}

/** One hook of a release (Helm's `release.Hook`). */
export interface StoredHook {
  readonly name: string;
  readonly kind: string;
  /** Helm: the template file; Slipway: `Kind/name`. */
  readonly path: string;
  /** The hook's object as YAML. */
  readonly manifest: string;
  /** `test`, … */
  readonly events: readonly string[];
  readonly weight: number;
  /** `before-hook-creation`, `hook-succeeded`, `hook-failed`. */
  readonly deletePolicies: readonly string[];
  readonly lastRun?: { readonly startedAt?: string; readonly completedAt?: string; readonly phase?: string };
}

interface EncodedHook {
  name?: unknown;
  kind?: unknown;
  path?: unknown;
  manifest?: unknown;
  events?: unknown;
  weight?: unknown;
  delete_policies?: unknown;
  last_run?: { started_at?: unknown; completed_at?: unknown; phase?: unknown };
}

const encodeHook = (h: StoredHook) => ({
  name: h.name,
  kind: h.kind,
  path: h.path,
  manifest: h.manifest,
  events: h.events,
  // Helm reads times as RFC 3339; a hook never run has none
  last_run: {
    ...(h.lastRun?.startedAt && { started_at: h.lastRun.startedAt }),
    ...(h.lastRun?.completedAt && { completed_at: h.lastRun.completedAt }),
    phase: h.lastRun?.phase ?? '',
  },
  weight: h.weight,
  delete_policies: h.deletePolicies,
});

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function decodeHook(h: EncodedHook): StoredHook {
  const run = h.last_run ?? {};
  const lastRun = {
    ...(typeof run.started_at === 'string' && run.started_at !== '' && { startedAt: run.started_at }),
    ...(typeof run.completed_at === 'string' && run.completed_at !== '' && { completedAt: run.completed_at }),
    ...(typeof run.phase === 'string' && run.phase !== '' && { phase: run.phase }),
  };
  return {
    name: String(h.name ?? ''),
    kind: String(h.kind ?? ''),
    path: String(h.path ?? ''),
    manifest: String(h.manifest ?? ''),
    events: strings(h.events),
    weight: Number(h.weight ?? 0) || 0,
    deletePolicies: strings(h.delete_policies),
    ...(Object.keys(lastRun).length > 0 && { lastRun }),
  };
}

/** Helm's release Secret name: `sh.helm.release.v1.<name>.v<version>`. */
/** The release record Helm stores for a status snapshot. */
export function storedRelease(
  snap: Snapshot,
  config: Readonly<Record<string, unknown>>,
  manifest: string,
  description: string,
  hooks?: readonly StoredHook[],
): StoredRelease {
  return {
    name: snap.name,
    namespace: snap.namespace,
    version: snap.version,
    status: snap.status as StoredRelease['status'],
    description,
    firstDeployed: snap.firstDeployed,
    lastDeployed: snap.lastDeployed,
    chartName: snap.chartName,
    chartVersion: snap.chartVersion,
    config,
    manifest,
    ...(hooks !== undefined && { hooks }),
  };
}

export const releaseSecretName = (name: string, version: number) => `sh.helm.release.v1.${name}.v${version}`;

/** Helm's storage encoding: JSON, gzip, base64 (the Secret's data is base64 once more). Pure. */
export function encodeRelease(r: StoredRelease): string {
  const json = {
    name: r.name,
    namespace: r.namespace,
    version: r.version,
    info: {
      first_deployed: r.firstDeployed,
      last_deployed: r.lastDeployed,
      deleted: '',
      description: r.description,
      status: r.status,
    },
    chart: {
      metadata: {
        apiVersion: 'v2',
        name: r.chartName,
        version: r.chartVersion,
        ...(r.appVersion !== undefined && { appVersion: r.appVersion }),
      },
      templates: [],
      values: {},
    },
    config: r.config,
    manifest: r.manifest,
    ...(r.hooks !== undefined && r.hooks.length > 0 && { hooks: r.hooks.map(encodeHook) }),
  };
  return gzipSync(Buffer.from(JSON.stringify(json))).toString('base64');
}

/** Reads a release back from its encoded form; undefined when it is not one. Pure. */
export function decodeRelease(encoded: string): StoredRelease | undefined {
  try {
    interface Encoded {
      name?: unknown;
      namespace?: unknown;
      version?: unknown;
      info?: {
        status?: StoredRelease['status'];
        description?: unknown;
        first_deployed?: unknown;
        last_deployed?: unknown;
      };
      chart?: { metadata?: { name?: unknown; version?: unknown; appVersion?: unknown } };
      config?: Record<string, unknown>;
      manifest?: unknown;
      hooks?: unknown;
    }
    const j = JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')) as Encoded;
    if (!j.info?.status) return undefined;
    return {
      name: String(j.name),
      namespace: String(j.namespace),
      version: Number(j.version),
      status: j.info.status,
      description: String(j.info?.description ?? ''),
      firstDeployed: String(j.info?.first_deployed ?? ''),
      lastDeployed: String(j.info?.last_deployed ?? ''),
      chartName: String(j.chart?.metadata?.name ?? ''),
      chartVersion: String(j.chart?.metadata?.version ?? ''),
      ...(j.chart?.metadata?.appVersion !== undefined && {
        appVersion: String(j.chart?.metadata?.appVersion),
      }),
      config: (j.config ?? {}) as Record<string, unknown>,
      manifest: String(j.manifest ?? ''),
      ...(Array.isArray(j.hooks) && { hooks: (j.hooks as EncodedHook[]).map(decodeHook) }),
    };
  } catch {
    return undefined;
  }
}

/**
 * Helm's Secret storage driver, so that `helm list` / `helm history` show the releases a HelmRelease
 * made and a rollback has the previous manifest: one Secret per release version in the storage
 * namespace, labelled as Helm labels them.
 */
export class ReleaseStorage {
  constructor(private readonly client: KubeClient) {}

  async save(r: StoredRelease): Promise<void> {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: releaseSecretName(r.name, r.version),
        namespace: r.namespace,
        labels: { name: r.name, owner: 'helm', status: r.status, version: String(r.version) },
      },
      type: 'helm.sh/release.v1',
      data: { release: Buffer.from(encodeRelease(r)).toString('base64') },
    } as KubeObject;
    await this.client.apply(secret, { fieldManager: FLUX_FIELD_MANAGER, force: true });
  }

  async get(namespace: string, name: string, version: number): Promise<StoredRelease | undefined> {
    try {
      const s = await this.client.get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace,
        name: releaseSecretName(name, version),
      });
      const data = s.data?.release;
      return data ? decodeRelease(Buffer.from(data, 'base64').toString('utf8')) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(namespace: string, name: string, version: number): Promise<void> {
    try {
      await this.client.delete({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace,
        name: releaseSecretName(name, version),
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
