import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ChartFile } from './chart-archive.js';

export interface StoredChart {
  /** Flux's artifact path, `helmchart/<ns>/<name>/<chart>-<version>.tgz`. */
  readonly path: string;
  readonly digest: string;
  readonly size: number;
}

/** `sha256:` over the chart's paths and contents, in path order. Pure. */
export function chartDigest(files: readonly ChartFile[]): { digest: string; size: number } {
  const h = createHash('sha256');
  let size = 0;
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`f ${f.path}\u0000${f.content.length}\u0000`);
    h.update(f.content);
    size += f.content.length;
  }
  return { digest: `sha256:${h.digest('hex')}`, size };
}

/**
 * The unpacked artifacts of this process (decision 010: no artifact server): each chart version and
 * OCIRepository layer is kept unpacked under the Flux work dir, at the folder its Flux artifact path
 * names without `.tgz` / `.tar.gz`; HelmReleases and Kustomizations read from there. A missing
 * folder (a new pod) is rebuilt by the source's reconciler.
 */
export class ChartStore {
  /** The digest of each chart folder this process wrote, so an unchanged chart is not rewritten. */
  private readonly written = new Map<string, string>();

  constructor(private readonly root: string) {}

  /** The unpacked chart of an artifact path; undefined when this process does not hold it. */
  dir(artifactPath: string): string | undefined {
    if (!/^helmchart\/[^/]+\/[^/]+\/[^/]+\.tgz$/.test(artifactPath) || artifactPath.includes('..'))
      return undefined;
    const dir = join(this.root, artifactPath.slice(0, -'.tgz'.length));
    return existsSync(join(dir, 'Chart.yaml')) ? dir : undefined;
  }

  async put(
    namespace: string,
    name: string,
    chart: string,
    version: string,
    files: readonly ChartFile[],
  ): Promise<StoredChart> {
    const path = `helmchart/${namespace}/${name}/${chart}-${version}.tgz`.replaceAll('..', '_');
    const sum = chartDigest(files);
    const rel = path.slice(0, -'.tgz'.length);
    // a chart pulled again unchanged (an OCI chart on every interval) keeps its folder: readers never
    // see it missing while it would be replaced
    if (this.written.get(rel) === sum.digest && this.dir(path) !== undefined) return { path, ...sum };
    await this.putTree(rel, files);
    if (this.written.size >= 10_000) this.written.clear();
    this.written.set(rel, sum.digest);
    return { path, ...sum };
  }

  /** An unpacked artifact (an OCIRepository's layer) at `rel`; undefined when this process does not hold it. */
  tree(rel: string): string | undefined {
    if (rel.includes('..')) return undefined;
    const dir = join(this.root, rel);
    return existsSync(dir) ? dir : undefined;
  }

  /** Writes `files` at `rel`, replacing what was there (readers see the old or the new folder). */
  async putTree(rel: string, files: readonly ChartFile[]): Promise<void> {
    const dir = join(this.root, rel.replaceAll('..', '_'));
    const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    for (const f of files) {
      const target = join(tmp, f.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content);
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(dirname(dir), { recursive: true });
    await mkdir(tmp, { recursive: true });
    await rename(tmp, dir);
  }
}
