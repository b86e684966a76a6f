import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SlipwayError } from '../errors/index.js';
import type { KubeObject } from '../kube/index.js';
import {
  DefaultRenderLimits,
  type RenderLimits,
  renderSource,
  SymlinkAudit,
  scratchRoot,
} from '../sync/index.js';
import { withPatchesAndImages } from './build.js';
import type { HelmRelease, PostRenderer, ResourceSelector } from './helm-types.js';

/** A post-renderer could not run over the rendered manifests (a malformed patch, an unknown image field). */
export class PostRenderError extends SlipwayError {
  constructor(message: string, cause?: unknown) {
    super('FLUX_POST_RENDER', message, cause === undefined ? undefined : { cause });
  }
}

/** Go's encoding/json escapes these even inside strings; the digest hashes Go's bytes. */
const goEscape = (json: string) =>
  json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const SELECTOR_FIELDS = [
  'group',
  'version',
  'kind',
  'namespace',
  'name',
  'annotationSelector',
  'labelSelector',
] as const satisfies readonly (keyof ResourceSelector)[];

/** Keeps the fields Go would write, in its struct order, without the empty ones (`omitempty`). */
function ordered<T extends string>(
  value: Readonly<Record<string, unknown>> | undefined,
  fields: readonly T[],
  required: readonly T[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = value?.[f];
    if (required.includes(f)) out[f] = typeof v === 'string' ? v : '';
    else if (typeof v === 'string' && v !== '') out[f] = v;
  }
  return out;
}

/** The post-renderers as helm-controller's v2 structs encode them (field order, omitempty). Pure. */
function goShape(list: readonly PostRenderer[]): unknown[] {
  return list.map((r) => {
    if (!r.kustomize) return {};
    const k: Record<string, unknown> = {};
    if ((r.kustomize.patches ?? []).length > 0)
      k.patches = (r.kustomize.patches ?? []).map((p) => ({
        patch: p.patch ?? '',
        ...(p.target && { target: ordered(p.target, SELECTOR_FIELDS) }),
      }));
    if ((r.kustomize.images ?? []).length > 0)
      k.images = (r.kustomize.images ?? []).map((i) =>
        ordered(i as unknown as Record<string, unknown>, ['name', 'newName', 'newTag', 'digest'], ['name']),
      );
    return { kustomize: k };
  });
}

/**
 * helm-controller's post-renderers digest (`status.observedPostRenderersDigest`): `sha256:` of the
 * JSON encoding of `spec.postRenderers` (Go's, with its trailing newline); '' when the field is
 * absent. Pure.
 */
export function postRenderersDigest(list: readonly PostRenderer[] | undefined): string {
  if (list === undefined) return '';
  const json = `${goEscape(JSON.stringify(goShape(list)))}\n`;
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/**
 * True when a new generation changed the post-renderers since the last observed one: the release
 * is then out of sync and upgraded, as helm-controller decides (only for new generations, so the
 * digest written after each release action never loops). Pure.
 */
export function postRenderersChanged(hr: HelmRelease): boolean {
  if (hr.status?.observedGeneration === hr.metadata.generation) return false;
  return postRenderersDigest(hr.spec.postRenderers) !== (hr.status?.observedPostRenderersDigest ?? '');
}

/** The Helm output as the post-renderer's only resource (helm-controller names it so). */
const INPUT_FILE = 'helm-output.yaml';

/**
 * One kustomize post-renderer: the rendered objects become the only resource of a generated
 * kustomization carrying the `patches` and `images`, built by the sync engine's kustomize renderer
 * (the real binary, no network, no plugins, killed past the render limits) in a scratch directory.
 */
async function runKustomize(
  objects: readonly KubeObject[],
  kustomize: NonNullable<PostRenderer['kustomize']>,
  limits: RenderLimits,
): Promise<KubeObject[]> {
  const scratch = await mkdtemp(join(scratchRoot(), 'slipway-postrender-'));
  try {
    const dir = join(scratch, 'render');
    await mkdir(dir);
    await writeFile(join(dir, INPUT_FILE), objects.map((o) => stringify(o)).join('---\n'));
    const file = withPatchesAndImages(
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [INPUT_FILE],
      },
      kustomize.patches,
      kustomize.images,
    );
    await writeFile(join(dir, 'kustomization.yaml'), stringify(file));
    const rendered = await renderSource({
      checkoutDir: dir,
      source: { repoURL: '', path: '.', kustomize: {} },
      label: 'post-renderer',
      appName: '',
      namespace: '',
      helmHome: join(scratch, 'helm'),
      // a fresh audit: the shared one would remember every scratch directory
      symlinks: new SymlinkAudit(1),
      // the Helm output was already held to the render limit; it is one file here
      limits: { ...limits, maxFileBytes: Math.max(limits.maxFileBytes, limits.maxRenderBytes) },
    });
    return [...rendered.objects];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs the HelmRelease's post-renderers over the rendered manifests, in order (each one's output is
 * the next one's input), as Helm runs helm-controller's combined post-renderer before the manifests
 * are stored and applied. A failure is Helm's `error while running post render on files: …`.
 */
export async function postRender(
  objects: readonly KubeObject[],
  postRenderers: readonly PostRenderer[] | undefined,
  limits: RenderLimits = DefaultRenderLimits,
): Promise<KubeObject[]> {
  let out = [...objects];
  for (const r of postRenderers ?? []) {
    if (!r.kustomize) continue;
    try {
      out = await runKustomize(out, r.kustomize, limits);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new PostRenderError(`error while running post render on files: ${why}`, err);
    }
  }
  return out;
}
