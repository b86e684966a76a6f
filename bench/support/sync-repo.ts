// The sync benchmarks' Git repository: N apps, each a directory with a ConfigMap, a Service and a
// one-replica Deployment (no kustomization.yaml: Argo CD applies the directory's manifests, Flux's
// kustomize-controller generates a kustomization of them), committed on `main`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitDirectory } from './commit-directory.js';

export interface SyncRepo {
  /** The repository's work tree (its `.git` inside). */
  readonly dir: string;
  /** `file://` URL of `dir`. */
  readonly url: string;
  /** Temp folder to remove afterwards. */
  readonly root: string;
}

/** `apps/app-<i>` for i < n. */
export const appPath = (i: number) => `apps/app-${i}`;

export function makeSyncRepo(n: number): SyncRepo {
  const root = mkdtempSync(join(tmpdir(), 'slipway-bench-repo-'));
  const dir = join(root, 'repo');
  for (let i = 0; i < n; i++) {
    const name = `app-${i}`;
    mkdirSync(join(dir, appPath(i)), { recursive: true });
    writeFileSync(
      join(dir, appPath(i), 'all.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {LOG_LEVEL: info}\n---\n` +
        `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {selector: {app: ${name}}, ports: [{port: 80}]}\n---\n` +
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: "nginx:1.27"}]}\n`,
    );
  }
  return { dir, url: commitDirectory(dir, 'bench apps'), root };
}
