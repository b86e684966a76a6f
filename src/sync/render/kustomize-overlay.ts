import type { KustomizeSource } from '../types.js';

export interface KustomizeImage {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

function splitRef(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), digest: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref };
}

/** Argo CD's image override strings: `name:tag`, `name@digest`, `old=new:tag`. */
export function parseKustomizeImage(spec: string): KustomizeImage {
  const eq = spec.indexOf('=');
  if (eq >= 0) {
    const target = splitRef(spec.slice(eq + 1));
    return {
      name: spec.slice(0, eq),
      newName: target.name,
      ...(target.tag !== undefined && { newTag: target.tag }),
      ...(target.digest !== undefined && { digest: target.digest }),
    };
  }
  const ref = splitRef(spec);
  return {
    name: ref.name,
    ...(ref.tag !== undefined && { newTag: ref.tag }),
    ...(ref.digest !== undefined && { digest: ref.digest }),
  };
}

export function hasKustomizeOverrides(k: KustomizeSource | undefined): boolean {
  if (!k) return false;
  return Boolean(
    k.namePrefix ||
      k.nameSuffix ||
      k.namespace ||
      (k.images?.length ?? 0) > 0 ||
      Object.keys(k.commonLabels ?? {}).length > 0 ||
      Object.keys(k.commonAnnotations ?? {}).length > 0 ||
      (k.patches?.length ?? 0) > 0,
  );
}

/**
 * A generated kustomization that layers the Application's overrides on the app's own directory
 * (what Argo CD achieves with `kustomize edit set …`, without touching the shared checkout).
 */
export function kustomizeOverlay(appDir: string, k: KustomizeSource): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [appDir],
    ...(k.namePrefix && { namePrefix: k.namePrefix }),
    ...(k.nameSuffix && { nameSuffix: k.nameSuffix }),
    ...(k.namespace && { namespace: k.namespace }),
    ...(k.commonLabels && Object.keys(k.commonLabels).length > 0 && { commonLabels: k.commonLabels }),
    ...(k.commonAnnotations &&
      Object.keys(k.commonAnnotations).length > 0 && { commonAnnotations: k.commonAnnotations }),
    ...(k.images && k.images.length > 0 && { images: k.images.map(parseKustomizeImage) }),
    ...(k.patches && k.patches.length > 0 && { patches: k.patches }),
  };
}
