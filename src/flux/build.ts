import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/index.js';
import { type ApplicationSource, type RenderLimits, renderSource, scratchRoot } from '../sync/index.js';
import { type ArtifactFiles, copyArtifact } from './artifact.js';
import type { Kustomization, KustomizeImage } from './types.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A Flux image override as the sync engine's image strings (`name=newName:tag`, `name=newName@digest`). */
export function imageOverride(i: KustomizeImage): string {
  const target = i.newName ?? i.name;
  const suffix = i.digest ? `@${i.digest}` : i.newTag ? `:${i.newTag}` : '';
  if (target === i.name && !i.newName) return `${i.name}${suffix}`;
  return `${i.name}=${target}${suffix}`;
}

/** The engine's render source for a Kustomization: its path, targetNamespace, patches and images. */
export function renderSourceFor(k: Kustomization): ApplicationSource {
  const images = (k.spec.images ?? []).map(imageOverride);
  const patches = (k.spec.patches ?? []).map((p) => ({
    patch: p.patch,
    ...(p.target && { target: p.target }),
  }));
  return {
    repoURL: '',
    // securejoin: an absolute path is taken from the source root
    path: k.spec.path ? normalize(`./${k.spec.path}`).replace(/^\/+/, '') || '.' : '.',
    kustomize: {
      ...(k.spec.targetNamespace && { namespace: k.spec.targetNamespace }),
      ...(images.length > 0 && { images }),
      ...(patches.length > 0 && { patches }),
    },
  };
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
    const source = renderSourceFor(k);
    const appDir = join(root, source.path ?? '.');
    if (!appDir.startsWith(`${root}/`) && appDir !== root)
      throw new Error(`path '${k.spec.path}' leaves the source root`);
    if (!existsSync(appDir))
      throw new Error(`kustomization path not found: stat ${k.spec.path ?? '.'}: no such file or directory`);
    if (!KUSTOMIZATION_FILES.some((f) => existsSync(join(appDir, f)))) {
      const resources = await generatedResources(appDir);
      await writeFile(
        join(appDir, 'kustomization.yaml'),
        stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }),
      );
    }
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
