/**
 * Readonly shapes of the Argo CD `Application` (argoproj.io/v1alpha1), limited to the fields the sync
 * loop reads or writes. Spellings follow argoproj/argo-cd `pkg/apis/application/v1alpha1/types.go` so
 * Argo manifests, dashboards and the notification catalog work unchanged.
 */
import type { Condition } from '../core/index.js';
import type { KubeObject, ObjectMeta } from '../kube/index.js';

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';
export type HealthStatusCode = 'Healthy' | 'Suspended' | 'Progressing' | 'Missing' | 'Degraded' | 'Unknown';
export type OperationPhase = 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';
export type HookType = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'Skip';
export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';

export interface DirectorySource {
  readonly recurse?: boolean;
  readonly include?: string;
  readonly exclude?: string;
}

export interface KustomizeSource {
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  readonly namespace?: string;
  readonly images?: readonly string[];
  readonly commonLabels?: Readonly<Record<string, string>>;
  readonly commonAnnotations?: Readonly<Record<string, string>>;
  readonly patches?: readonly Readonly<Record<string, unknown>>[];
}

export interface HelmParameter {
  readonly name?: string;
  readonly value?: string;
  readonly forceString?: boolean;
}

export interface HelmSource {
  readonly releaseName?: string;
  readonly valueFiles?: readonly string[];
  readonly ignoreMissingValueFiles?: boolean;
  readonly values?: string;
  readonly valuesObject?: Readonly<Record<string, unknown>>;
  readonly parameters?: readonly HelmParameter[];
  readonly skipCrds?: boolean;
  readonly namespace?: string;
}

export interface ApplicationSource {
  readonly repoURL: string;
  readonly path?: string;
  /** Helm chart name (Helm repositories; not supported by Slipway's Git sources). */
  readonly chart?: string;
  /** Name other sources use to read this one's files (`$ref/values.yaml` in Helm valueFiles). */
  readonly ref?: string;
  readonly name?: string;
  readonly targetRevision?: string;
  readonly directory?: DirectorySource;
  readonly kustomize?: KustomizeSource;
  readonly helm?: HelmSource;
}

export interface RetryStrategy {
  readonly limit?: number;
  readonly backoff?: { readonly duration?: string; readonly factor?: number; readonly maxDuration?: string };
}

export interface SyncPolicy {
  readonly automated?: {
    /** Argo CD ≥ 3.1: `false` keeps the block but turns automated sync off. */
    readonly enabled?: boolean;
    readonly prune?: boolean;
    readonly selfHeal?: boolean;
    readonly allowEmpty?: boolean;
  };
  readonly syncOptions?: readonly string[];
  readonly retry?: RetryStrategy;
}

export interface ResourceIgnoreDifferences {
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
  readonly managedFieldsManagers?: readonly string[];
}

export interface ApplicationSpec {
  readonly project?: string;
  readonly source?: ApplicationSource;
  /** Several sources rendered into one app (exclusive with `source`, as in Argo CD). */
  readonly sources?: readonly ApplicationSource[];
  readonly destination: { readonly server?: string; readonly name?: string; readonly namespace?: string };
  readonly syncPolicy?: SyncPolicy;
  readonly ignoreDifferences?: readonly ResourceIgnoreDifferences[];
  readonly revisionHistoryLimit?: number;
}

/** A resource's identity as Argo CD writes it in status (group, not apiVersion). */
export interface ResourceKey {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface HealthStatus {
  readonly status: HealthStatusCode;
  readonly message?: string;
}

export interface ResourceStatus extends ResourceKey {
  readonly version: string;
  readonly status?: SyncStatusCode;
  readonly health?: HealthStatus;
  readonly hook?: boolean;
  readonly requiresPruning?: boolean;
  readonly syncWave?: number;
}

export interface ResourceResult extends ResourceKey {
  readonly version: string;
  readonly status?: ResultCode;
  readonly message?: string;
  readonly hookType?: HookType;
  readonly hookPhase?: OperationPhase;
  readonly syncPhase?: SyncPhase;
}

export interface SyncOperation {
  readonly revision?: string;
  /** One revision per entry of `spec.sources` (multi-source apps). */
  readonly revisions?: readonly string[];
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly syncOptions?: readonly string[];
  readonly resources?: readonly {
    readonly group?: string;
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
  }[];
  /** Argo CD counts self-heal attempts here to compute the self-heal backoff. */
  readonly selfHealAttemptsCount?: number;
}

export interface Operation {
  readonly sync?: SyncOperation;
  readonly initiatedBy?: { readonly username?: string; readonly automated?: boolean };
  readonly info?: readonly { readonly name: string; readonly value: string }[];
  readonly retry?: RetryStrategy;
}

export interface OperationState {
  readonly operation: Operation;
  readonly phase: OperationPhase;
  readonly message?: string;
  readonly syncResult?: {
    /** Single-source apps; multi-source apps write `revisions` and `sources` instead. */
    readonly revision?: string;
    readonly source?: ApplicationSource;
    readonly revisions?: readonly string[];
    readonly sources?: readonly ApplicationSource[];
    readonly resources?: readonly ResourceResult[];
  };
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly retryCount?: number;
}

export interface RevisionHistory {
  readonly id: number;
  /** Single-source apps; multi-source apps have `revisions` and `sources`. */
  readonly revision?: string;
  readonly revisions?: readonly string[];
  readonly sources?: readonly ApplicationSource[];
  readonly deployedAt: string;
  readonly deployStartedAt?: string;
  readonly source?: ApplicationSource;
  readonly initiatedBy?: Operation['initiatedBy'];
}

export interface ApplicationCondition {
  readonly type: string;
  readonly message: string;
  readonly lastTransitionTime?: string;
}

export interface ApplicationStatus {
  readonly sync?: {
    readonly status: SyncStatusCode;
    readonly revision?: string;
    readonly revisions?: readonly string[];
    readonly comparedTo?: {
      readonly source?: ApplicationSource;
      readonly sources?: readonly ApplicationSource[];
      readonly destination?: ApplicationSpec['destination'];
      readonly ignoreDifferences?: readonly ResourceIgnoreDifferences[];
    };
  };
  readonly health?: HealthStatus & { readonly lastTransitionTime?: string };
  readonly resources?: readonly ResourceStatus[];
  readonly conditions?: readonly ApplicationCondition[];
  readonly operationState?: OperationState;
  readonly history?: readonly RevisionHistory[];
  readonly reconciledAt?: string;
  readonly observedAt?: string;
  readonly sourceType?: 'Kustomize' | 'Helm' | 'Directory';
  readonly sourceTypes?: readonly ('Kustomize' | 'Helm' | 'Directory')[];
  readonly summary?: { readonly images?: readonly string[]; readonly externalURLs?: readonly string[] };
  readonly controllerNamespace?: string;
}

export interface Application extends KubeObject {
  readonly metadata: ObjectMeta;
  readonly spec: ApplicationSpec;
  readonly status?: ApplicationStatus;
  readonly operation?: Operation;
}

/** One entry of an AppProject's `spec.syncWindows` (Argo CD's `SyncWindow`). */
export interface SyncWindow {
  /** `allow` or `deny`. */
  readonly kind?: string;
  /** 5-field cron: when the window opens. */
  readonly schedule?: string;
  /** Go duration: how long it stays open. */
  readonly duration?: string;
  readonly applications?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly clusters?: readonly string[];
  readonly manualSync?: boolean;
  /** IANA zone the schedule is read in. Default UTC. */
  readonly timeZone?: string;
  readonly andOperator?: boolean;
  readonly description?: string;
  readonly syncOverrun?: boolean;
}

/** The AppProject fields the sync loop reads. */
export interface AppProject extends KubeObject {
  readonly metadata: ObjectMeta;
  readonly spec?: { readonly syncWindows?: readonly SyncWindow[] };
}

/** Argo CD condition types (a subset: the ones this loop raises). */
export const ApplicationConditionType = {
  ComparisonError: 'ComparisonError',
  SyncError: 'SyncError',
  InvalidSpecError: 'InvalidSpecError',
  SharedResourceWarning: 'SharedResourceWarning',
  OrphanedResourceWarning: 'OrphanedResourceWarning',
} as const;

export type { Condition };
