import type { GroupVersionKind, KubeObject } from '../../kube/index.js';

/**
 * The kinds `flux get` lists and the columns it computes for each (flux v2.9.5 cmd/flux/get_*.go), read
 * from the objects' status only. Pure: time formatting comes in as a function.
 */

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly message?: string;
}

/** The fields of a Flux object the columns read. */
export interface FluxListObject extends KubeObject {
  readonly spec?: {
    readonly suspend?: boolean;
    readonly type?: string;
    readonly sourceRef?: { readonly kind?: string; readonly name?: string; readonly namespace?: string };
    readonly chart?: {
      readonly spec?: {
        readonly sourceRef?: { readonly kind?: string; readonly name?: string; readonly namespace?: string };
      };
    };
    readonly chartRef?: { readonly kind?: string; readonly name?: string; readonly namespace?: string };
  };
  readonly status?: {
    readonly conditions?: readonly Condition[];
    readonly artifact?: { readonly revision?: string };
    readonly lastAppliedRevision?: string;
    readonly lastAttemptedRevision?: string;
    readonly history?: readonly { readonly chartVersion?: string }[];
    readonly lastScanResult?: { readonly scanTime?: string };
    readonly latestRef?: { readonly name?: string; readonly tag?: string };
    readonly lastAutomationRunTime?: string;
  };
}

export interface FluxRowOptions {
  /** `--show-source` (Kustomizations and HelmReleases). */
  readonly showSource: boolean;
  /** Go's `Time.Format(time.RFC3339)` of an instant in the local zone (the CLI's `metav1.Time`). */
  readonly formatTime: (iso: string | undefined) => string;
}

export interface FluxGetKind {
  readonly gvk: GroupVersionKind;
  /** `flux get`'s command words after `get`. */
  readonly words: readonly string[];
  /** Column headers after NAME (and SOURCE with `--show-source`). */
  readonly headers: readonly string[];
  readonly hasSource?: boolean;
  /** The cells after the name columns. */
  cells(object: FluxListObject, options: FluxRowOptions): string[];
}

const hex = /\b[a-f0-9]{40,128}\b/g;

/** Flux's `utils.TruncateHex`: every hex run of 40 to 128 characters cut to its first 8. */
export function truncateHex(s: string): string {
  return s.replace(hex, (m) => m.slice(0, 8));
}

/** Ready's status and message, or False and "waiting to be reconciled" without one. */
export function readyStatus(object: FluxListObject): readonly [string, string] {
  const ready = object.status?.conditions?.find((c) => c.type === 'Ready');
  return ready ? [ready.status, ready.message ?? ''] : ['False', 'waiting to be reconciled'];
}

const suspended = (o: FluxListObject): string => (o.spec?.suspend === true ? 'True' : 'False');

function sourceOf(
  o: FluxListObject,
  ref: { readonly kind?: string; readonly name?: string; readonly namespace?: string } | undefined,
): string {
  return `${ref?.kind ?? ''}/${ref?.namespace || o.metadata.namespace || ''}/${ref?.name ?? ''}`;
}

/** Revision (hex truncated), Suspended, Ready, Message (hex truncated) from the artifact. */
function artifactCells(o: FluxListObject, truncateRevision = true): string[] {
  const [status, message] = readyStatus(o);
  const revision = o.status?.artifact?.revision ?? '';
  return [truncateRevision ? truncateHex(revision) : revision, suspended(o), status, truncateHex(message)];
}

const revisionHeaders = ['Revision', 'Suspended', 'Ready', 'Message'] as const;

export const fluxGetKinds = {
  GitRepository: {
    gvk: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' },
    words: ['sources', 'git'],
    headers: revisionHeaders,
    cells: (o) => artifactCells(o),
  },
  HelmRepository: {
    gvk: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository' },
    words: ['sources', 'helm'],
    headers: revisionHeaders,
    cells: (o) => {
      if (o.spec?.type !== 'oci') return artifactCells(o);
      return [
        truncateHex(o.status?.artifact?.revision ?? ''),
        suspended(o),
        'True',
        'Helm repository is Ready',
      ];
    },
  },
  HelmChart: {
    gvk: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmChart' },
    words: ['sources', 'chart'],
    headers: revisionHeaders,
    cells: (o) => artifactCells(o, false),
  },
  OCIRepository: {
    gvk: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository' },
    words: ['sources', 'oci'],
    headers: revisionHeaders,
    cells: (o) => artifactCells(o),
  },
  Kustomization: {
    gvk: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' },
    words: ['kustomizations'],
    headers: revisionHeaders,
    hasSource: true,
    cells: (o, options) => {
      const [status, message] = readyStatus(o);
      return [
        ...(options.showSource ? [sourceOf(o, o.spec?.sourceRef)] : []),
        truncateHex(o.status?.lastAppliedRevision ?? ''),
        suspended(o),
        status,
        truncateHex(message),
      ];
    },
  },
  HelmRelease: {
    gvk: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' },
    words: ['helmreleases'],
    headers: revisionHeaders,
    hasSource: true,
    cells: (o, options) => {
      const [status, message] = readyStatus(o);
      const history = o.status?.history ?? [];
      const revision =
        history.length > 0 ? (history[0]?.chartVersion ?? '') : (o.status?.lastAttemptedRevision ?? '');
      const source = o.spec?.chartRef
        ? sourceOf(o, o.spec.chartRef)
        : sourceOf(o, o.spec?.chart?.spec?.sourceRef);
      return [...(options.showSource ? [source] : []), revision, suspended(o), status, message];
    },
  },
  ImageRepository: {
    gvk: { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageRepository' },
    words: ['images', 'repository'],
    headers: ['Last scan', 'Suspended', 'Ready', 'Message'],
    cells: (o, options) => {
      const [status, message] = readyStatus(o);
      const scan = o.status?.lastScanResult;
      return [scan ? options.formatTime(scan.scanTime) : '', suspended(o), status, message];
    },
  },
  ImagePolicy: {
    gvk: { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy' },
    words: ['images', 'policy'],
    headers: ['Image', 'Tag', 'Ready', 'Message'],
    cells: (o) => {
      const [status, message] = readyStatus(o);
      const ref = o.status?.latestRef;
      return [ref?.name ?? '', ref?.tag ?? '', status, message];
    },
  },
  ImageUpdateAutomation: {
    gvk: { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageUpdateAutomation' },
    words: ['images', 'update'],
    headers: ['Last run', 'Suspended', 'Ready', 'Message'],
    cells: (o, options) => {
      const [status, message] = readyStatus(o);
      const run = o.status?.lastAutomationRunTime;
      return [run !== undefined ? options.formatTime(run) : '', suspended(o), status, message];
    },
  },
} as const satisfies Readonly<Record<string, FluxGetKind>>;

export type FluxGetKindName = keyof typeof fluxGetKinds;

/** `flux get sources all`'s kinds in its order (Buckets and ExternalArtifacts are not served by Slipway). */
export const sourceKinds: readonly FluxGetKindName[] = [
  'OCIRepository',
  'GitRepository',
  'HelmRepository',
  'HelmChart',
];
/** `flux get images all`'s kinds in its order. */
export const imageKinds: readonly FluxGetKindName[] = [
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
];
/** `flux get all`: the sources, the images, then HelmReleases and Kustomizations (no notification kinds). */
export const allKinds: readonly FluxGetKindName[] = [
  ...sourceKinds,
  ...imageKinds,
  'HelmRelease',
  'Kustomization',
];

/** The header row (NAMESPACE first with `-A`). */
export function fluxHeaders(
  kind: FluxGetKind,
  options: { allNamespaces: boolean; showSource: boolean },
): string[] {
  return [
    ...(options.allNamespaces ? ['Namespace'] : []),
    'Name',
    ...(options.showSource && kind.hasSource ? ['Source'] : []),
    ...kind.headers,
  ];
}

/** One row: namespace (with `-A`), name (`kind/name` in the `all` commands), then the kind's cells. */
export function fluxRow(
  kind: FluxGetKind,
  object: FluxListObject,
  options: FluxRowOptions & { allNamespaces: boolean; withKind: boolean },
): string[] {
  const name = object.metadata.name ?? '';
  return [
    ...(options.allNamespaces ? [object.metadata.namespace ?? ''] : []),
    options.withKind ? `${kind.gvk.kind.toLowerCase()}/${name}` : name,
    ...kind.cells(object, { ...options, showSource: options.showSource && kind.hasSource === true }),
  ];
}
