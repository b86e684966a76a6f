import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../kube/index.js';
import {
  type ApplicationSource,
  DefaultRenderLimits,
  type RenderLimits,
  renderSource,
  resolveInRepo,
  SymlinkAudit,
  scratchRoot,
} from '../sync/index.js';
import { type ArtifactFiles, copyArtifact } from './artifact.js';
import type { Kustomization, KustomizeImage, KustomizePatch } from './types.js';

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
  const out = withPatchesAndImages(file, k.spec.patches, k.spec.images);
  if (k.spec.targetNamespace) out.namespace = k.spec.targetNamespace;
  return out;
}

/**
 * Flux's `patches` (inline strategic-merge or JSON6902, with an optional `target`) and `images`
 * appended to a kustomization file's own: the Kustomization's overrides and a HelmRelease's
 * kustomize post-renderer both go through it. Pure.
 */
export function withPatchesAndImages(
  file: Record<string, unknown>,
  patches: readonly KustomizePatch[] | undefined,
  images: readonly KustomizeImage[] | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...file };
  const own = <T>(key: string): T[] => (Array.isArray(file[key]) ? (file[key] as T[]) : []);
  if ((patches ?? []).length > 0)
    out.patches = [
      ...own('patches'),
      ...(patches ?? []).map((p) => ({ patch: p.patch, ...(p.target && { target: p.target }) })),
    ];
  if ((images ?? []).length > 0) out.images = [...own('images'), ...(images ?? [])];
  return out;
}

const looksLikeObject = (text: string) => /^apiVersion:/m.test(text) && /^kind:/m.test(text);
const isKustomizationFile = (path: string) =>
  KUSTOMIZATION_FILES.includes(path.slice(path.lastIndexOf('/') + 1));

/**
 * kustomize-controller's generator for a path without a kustomization file: every manifest below
 * it, and every sub-directory that has its own kustomization file as one resource (in the walk's
 * sorted order). Read from the artifact's file list, not the disk, so that the build copies made
 * next to the path by concurrent builds are never seen. `dir` is the path ('' for the root).
 */
async function generatedResources(artifact: ArtifactFiles, dir: string): Promise<string[]> {
  const prefix = dir === '' ? '' : `${dir}/`;
  const below = artifact.files
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => f.path.slice(prefix.length));
  const withKustomization = new Set(
    below.filter(isKustomizationFile).map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')),
  );
  const out: string[] = [];
  const listed = new Set<string>();
  for (const f of artifact.files) {
    if (!f.path.startsWith(prefix)) continue;
    const rel = f.path.slice(prefix.length);
    const parts = rel.split('/');
    // the shallowest sub-directory with its own kustomization stands for everything below it
    let owner: string | undefined;
    for (let i = 1; i < parts.length && owner === undefined; i++) {
      const d = parts.slice(0, i).join('/');
      if (withKustomization.has(d)) owner = d;
    }
    if (owner !== undefined) {
      if (!listed.has(owner)) out.push(owner);
      listed.add(owner);
    } else if (!f.symlink && /\.ya?ml$/.test(rel)) {
      if (looksLikeObject(await readFile(join(artifact.root, f.path), 'utf8'))) out.push(rel);
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
  /** The audit that already searched `artifact.root` (ExtractedArtifacts); default the renderer's. */
  readonly symlinks?: SymlinkAudit;
}

/** Copies the artifact's files below `path` ('' for all) to `dest`, keeping their relative paths. */
async function copySubtree(artifact: ArtifactFiles, path: string, dest: string): Promise<void> {
  const prefix = path === '' ? '' : `${path}/`;
  const files = artifact.files
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
  const root = prefix === '' ? artifact.root : join(artifact.root, path);
  await mkdir(dest, { recursive: true });
  await copyArtifact({ root, files }, dest);
}

/** Where a build works: the tree to render from, the path in it, and what to remove afterwards. */
interface BuildCopy {
  readonly root: string;
  readonly path: string;
  readonly remove: string;
}

/**
 * A writable copy of the Kustomization's path for Flux's in-place edits of its kustomization file.
 * For a path below the root, only that path is copied, next to it (same parent, so `../base` and
 * every other relative reference resolve as from the original) under a name no other build uses;
 * the artifact's own files are never written. For the root itself, the whole artifact is copied to
 * a scratch directory (as kustomize-controller extracts it for every build).
 */
async function makeBuildCopy(artifact: ArtifactFiles, path: string): Promise<BuildCopy> {
  const tag = `.slipway-build-${randomBytes(6).toString('hex')}`;
  if (path === '.') {
    const scratch = await mkdtemp(join(scratchRoot(), 'slipway-flux-build-'));
    await copySubtree(artifact, '', join(scratch, 'src'));
    return { root: join(scratch, 'src'), path: '.', remove: scratch };
  }
  const copyPath = `${path}${tag}`;
  const dest = join(artifact.root, copyPath);
  try {
    await copySubtree(artifact, path, dest);
  } catch (err) {
    await rm(dest, { recursive: true, force: true });
    throw err;
  }
  return { root: artifact.root, path: copyPath, remove: dest };
}

/**
 * Builds a Kustomization from its source's artifact with the sync engine's Kustomize renderer: the
 * path is copied for the build (makeBuildCopy), a kustomization is generated where the path has
 * none, and the overrides (targetNamespace, patches, images) are layered on top, as
 * kustomize-controller does in its extracted tarball. Repository content is untrusted: the engine's
 * bounds (no path or symlink out of the artifact, no remote bases, size and time limits) apply.
 */
export async function buildKustomization(
  artifact: ArtifactFiles,
  k: Kustomization,
  options: BuildOptions = {},
): Promise<readonly KubeObject[]> {
  const limits = options.limits ?? DefaultRenderLimits;
  const path = sourcePath(k);
  const srcDir = join(artifact.root, path);
  if (!srcDir.startsWith(`${artifact.root}/`) && srcDir !== artifact.root)
    throw new Error(`path '${k.spec.path}' leaves the source root`);
  // a symlink out of the artifact fails every build from it (Argo CD's message), before anything is read
  await (options.symlinks ?? new SymlinkAudit()).check(artifact.root);
  if (!existsSync(srcDir))
    throw new Error(`kustomization path not found: stat ${k.spec.path ?? '.'}: no such file or directory`);
  // the path as the file list names it (a symlinked path is followed inside the artifact)
  const resolved = await resolveInRepo(await realpath(artifact.root), path);
  if (resolved.kind !== 'inside') throw new Error(`path '${k.spec.path}' leaves the source root`);
  const listed = resolved.path === '' ? '.' : resolved.path;
  const existing = KUSTOMIZATION_FILES.find((f) => existsSync(join(srcDir, f)));
  const file = existing
    ? await readKustomizationFile(join(srcDir, existing), limits)
    : {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: await generatedResources(artifact, listed === '.' ? '' : listed),
      };
  if (file === null || typeof file !== 'object' || Array.isArray(file))
    throw new Error(`${path}/${existing ?? 'kustomization.yaml'}: not a kustomization`);
  const copy = await makeBuildCopy(artifact, listed);
  try {
    await writeFile(
      join(copy.root, copy.path, existing ?? 'kustomization.yaml'),
      stringify(withFluxOverrides(file as Record<string, unknown>, k)),
    );
    const source: ApplicationSource = { repoURL: '', path: copy.path, kustomize: {} };
    const rendered = await renderSource({
      checkoutDir: copy.root,
      source,
      label: path,
      appName: k.metadata.name ?? '',
      namespace: k.spec.targetNamespace ?? '',
      helmHome: join(scratchRoot(), 'slipway-flux-helm'),
      limits,
      ...(options.symlinks && copy.root === artifact.root && { symlinks: options.symlinks }),
    });
    return rendered.objects;
  } catch (err) {
    // messages name the Kustomization's path, not the build copy's
    if (err instanceof Error && copy.path !== path) err.message = err.message.replaceAll(copy.path, path);
    throw err;
  } finally {
    await rm(copy.remove, { recursive: true, force: true });
  }
}
