/**
 * What a generator may read: the ApplicationSet's template mode, the cluster Secrets, and Git
 * content through a small reader (the adapter over the sync loop's repository cache).
 */
import type { TemplateMode } from '../template/render.js';
import type { ApplicationSetGenerator, Params } from '../types.js';

/** An Argo CD cluster Secret (`argocd.argoproj.io/secret-type: cluster`), data already decoded. */
export interface ClusterSecret {
  readonly name: string;
  readonly server: string;
  readonly project?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Git content for the git generator; paths are repository-relative with `/` separators. */
export interface GitContentReader {
  /** Every directory of the revision except hidden ones (and nothing under them), sorted. */
  directories(repoURL: string, revision: string | undefined): Promise<readonly string[]>;
  /** The files a git pathspec matches, with their text. */
  files(repoURL: string, revision: string | undefined, pattern: string): Promise<ReadonlyMap<string, string>>;
}

export interface GeneratorContext {
  readonly appSetName: string;
  readonly mode: TemplateMode;
  /** Cluster Secrets of the Argo CD namespace (already filtered by the secret-type label). */
  readonly clusterSecrets: () => readonly ClusterSecret[];
  readonly git: GitContentReader;
  /** Most parameter sets one ApplicationSet may produce (matrix products included). */
  readonly maxParamSets: number;
}

/** Runs a nested generator (matrix and merge children), interpolated with `params` when given. */
export type ChildGenerate = (generator: ApplicationSetGenerator, params?: Params) => Promise<Params[]>;

/** Argo's `ErrEmptyAppSetGenerator`. */
export const EMPTY_GENERATOR = 'ApplicationSet is empty';
