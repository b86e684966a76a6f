import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../kube/index.js';
import {
  type ApplicationSource,
  DefaultRenderLimits,
  type RenderLimits,
  renderSource,
  scratchRoot,
} from '../sync/index.js';
import { type ArtifactFiles, copyArtifact } from './artifact.js';
import type { Kustomization } from './types.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The Kustomization's path inside the source (securejoin: an absolute path is taken from the root). */
export function sourcePath(k: Kustomization): string {
  return k.spec.path ? normalize(`./${k.spec.path}`).replace(/^\/+/, '') || '.' : '.';
}

/**
 * kustomize-controller's generator, editing the kustomization file of the path in the build copy:
 * `targetNamespace` becomes `namespace`, `patches` and `images` are appended to the file's own. Pure.
 */
export function withFluxOverrides(file: Record<string, unknown>, k: Kustomization): Record<string, unknown> {
  const out: Record<string, unknown> = { ...file };
  if (k.spec.targetNamespace) out.namespace = k.spec.targetNamespace;
  const own = <T>(key: string): T[] => (Array.isArray(file[key]) ? (file[key] as T[]) : []);
  if ((k.spec.patches ?? []).length > 0)
    out.patches = [
      ...own('patches'),
      ...(k.spec.patches ?? []).map((p) => ({ patch: p.patch, ...(p.target && { target: p.target }) })),
    ];
  if ((k.spec.images ?? []).length > 0) out.images = [...own('images'), ...(k.spec.images ?? [])];
  return out;
}

const looksLikeObject = (text: string) => /^apiVersion:/m.test(text) && /^kind:/m.test(text);

/**
 * kustomize-controller's generator for a path without a kustomization file: every manifest below
 * it, and every sub-directory that has its own kustomization file as one resource.
 */
async function generatedResources(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (KUSTOMIZATION_FILES.some((f) => existsSync(join(dir, path, f)))) out.push(path);
      else out.push(...(await generatedResources(dir, path)));
    } else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
      if (looksLikeObject(await readFile(join(dir, path), 'utf8'))) out.push(path);
    }
  }
  return out;
}

/** The path's own kustomization file: a regular file (not a link out of the source) within the size limit. */
async function readKustomizationFile(file: string, limits: RenderLimits): Promise<unknown> {
  const st = await lstat(file);
  if (!st.isFile()) throw new Error(`${file.slice(file.lastIndexOf('/') + 1)}: must be a regular file`);
  if (st.size > limits.maxFileBytes)
    throw new Error(`kustomization file is larger than the ${limits.maxFileBytes} bytes limit`);
  return parse(await readFile(file, 'utf8'));
}

export interface BuildOptions {
  readonly limits?: RenderLimits;
}

/**
 * Builds a Kustomization from its source's artifact with the sync engine's Kustomize renderer: the
 * artifact's files are copied to a scratch directory (what Flux extracts from the tarball), a
 * kustomization is generated where the path has none, and the overrides (targetNamespace, patches,
 * images) are layered on top. Repository content is untrusted: the engine's bounds (no path or
 * symlink out of the artifact, no remote bases, size and time limits) apply.
 */
export async function buildKustomization(
  artifact: ArtifactFiles,
  k: Kustomization,
  options: BuildOptions = {},
): Promise<readonly KubeObject[]> {
  const scratch = await mkdtemp(join(scratchRoot(), 'slipway-flux-build-'));
  try {
    const root = join(scratch, 'src');
    await copyArtifact(artifact, root);
    const path = sourcePath(k);
    const appDir = join(root, path);
    if (!appDir.startsWith(`${root}/`) && appDir !== root)
      throw new Error(`path '${k.spec.path}' leaves the source root`);
    if (!existsSync(appDir))
      throw new Error(`kustomization path not found: stat ${k.spec.path ?? '.'}: no such file or directory`);
    const existing = KUSTOMIZATION_FILES.find((f) => existsSync(join(appDir, f)));
    const file = existing
      ? await readKustomizationFile(join(appDir, existing), options.limits ?? DefaultRenderLimits)
      : {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: await generatedResources(appDir),
        };
    if (file === null || typeof file !== 'object' || Array.isArray(file))
      throw new Error(`${path}/${existing ?? 'kustomization.yaml'}: not a kustomization`);
    await writeFile(
      join(appDir, existing ?? 'kustomization.yaml'),
      stringify(withFluxOverrides(file as Record<string, unknown>, k)),
    );
    const source: ApplicationSource = { repoURL: '', path, kustomize: {} };
    const rendered = await renderSource({
      checkoutDir: root,
      source,
      appName: k.metadata.name ?? '',
      namespace: k.spec.targetNamespace ?? '',
      helmHome: join(scratch, 'helm'),
      ...(options.limits && { limits: options.limits }),
    });
    return rendered.objects;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
