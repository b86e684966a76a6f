// The image's files as bind mounts, derived from the final stage's COPY lines of deploy/Dockerfile:
// sources from the build context come from this checkout, `--from=<stage>` sources from what the test
// produced the same way (dist/ compiled by tsc, kustomize/helm built by the project's build script).
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxBind } from './container-sandbox.js';
import type { ImageCopy } from './shipped-container.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ImageLayoutOptions {
  readonly copies: readonly ImageCopy[];
  /** stage name → (path in that stage → host path), for every `COPY --from=` source. */
  readonly stageOutputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Image paths made by RUN steps (e.g. `npm ci` → /app/node_modules) → host path. */
  readonly runOutputs: Readonly<Record<string, string>>;
}

interface Entry {
  readonly host: string;
  readonly image: string;
  /** The host path belongs to the test (a stage output), so files may be copied into it. */
  readonly ours: boolean;
}

const isInside = (child: string, parent: string) =>
  child !== parent && !relative(parent, child).startsWith('..');

/** Bind mounts that reproduce the image's files; files copied into a stage output are copied on the host. */
export function imageBinds(options: ImageLayoutOptions): SandboxBind[] {
  const entries: Entry[] = [];
  for (const copy of options.copies) {
    if (!copy.dest.endsWith('/') && copy.sources.length !== 1) {
      throw new Error(`COPY of ${copy.sources.length} sources needs a directory destination: ${copy.dest}`);
    }
    for (const source of copy.sources) {
      const image = copy.dest.endsWith('/') ? `${copy.dest}${basename(source)}` : copy.dest;
      if (copy.from === undefined) {
        entries.push({ host: join(REPO_ROOT, source), image, ours: false });
        continue;
      }
      const host = options.stageOutputs[copy.from]?.[source];
      if (host === undefined) throw new Error(`no test output for COPY --from=${copy.from} ${source}`);
      entries.push({ host, image, ours: true });
    }
  }
  for (const [image, host] of Object.entries(options.runOutputs)) entries.push({ host, image, ours: false });
  const binds: SandboxBind[] = [];
  for (const e of entries) {
    const parent = entries.find((p) => p !== e && isInside(e.image, p.image));
    if (parent === undefined) {
      binds.push({ source: e.host, target: e.image });
      continue;
    }
    if (!parent.ours || statSync(e.host).isDirectory()) {
      throw new Error(`cannot place ${e.image} inside ${parent.image} for the test`);
    }
    const dest = join(parent.host, relative(parent.image, e.image));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(e.host, dest);
  }
  return binds;
}
