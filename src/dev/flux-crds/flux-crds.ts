import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../../errors/index.js';
import { applyAll, parseManifests, waitForCrdsEstablished } from '../../install/index.js';
import { isRetryable, type KubeClient, type KubeObject } from '../../kube/index.js';
import { slipwayCacheDir } from '../cluster/index.js';
import { goMissingError, hasGo, runGoBuild } from '../go-build.js';
import { withOlderVersions } from './older-versions.js';

/**
 * Pinned versions of Flux's controllers whose CRDs Slipway's Flux dialect serves (as Go modules on the
 * module proxy). Change them here and in fetch-flux-crds.sh together. v1.9.6 is the newest release
 * that the toolchain here (Go 1.26) can download; its CRDs serve `v1` only, as Flux does.
 */
export const FluxCrdVersions = {
  /** github.com/fluxcd/source-controller: GitRepository (source.toolkit.fluxcd.io/v1). */
  sourceController: 'v1.9.6',
  /** github.com/fluxcd/kustomize-controller: Kustomization (kustomize.toolkit.fluxcd.io/v1). */
  kustomizeController: 'v1.9.6',
  /** github.com/fluxcd/helm-controller: HelmRelease (helm.toolkit.fluxcd.io/v2), the one flux v2.9.5 requires. */
  helmController: 'v1.6.4',
  /**
   * github.com/fluxcd/image-reflector-controller: ImageRepository, ImagePolicy (image.toolkit.fluxcd.io/v1).
   * flux v2.9.5 requires its api module at v1.2.5; the module proxy serves the controller at v1.2.4.
   */
  imageReflectorController: 'v1.2.4',
  /** github.com/fluxcd/image-automation-controller: ImageUpdateAutomation (image.toolkit.fluxcd.io/v1). */
  imageAutomationController: 'v1.2.4',
} as const;

export const FLUX_CRD_NAMES = [
  'gitrepositories.source.toolkit.fluxcd.io',
  'kustomizations.kustomize.toolkit.fluxcd.io',
  'helmrepositories.source.toolkit.fluxcd.io',
  'helmcharts.source.toolkit.fluxcd.io',
  'helmreleases.helm.toolkit.fluxcd.io',
  'ocirepositories.source.toolkit.fluxcd.io',
  'imagerepositories.image.toolkit.fluxcd.io',
  'imagepolicies.image.toolkit.fluxcd.io',
  'imageupdateautomations.image.toolkit.fluxcd.io',
] as const;

export interface FluxCrdOptions {
  /** Default: `$SLIPWAY_CACHE` or ~/.cache/slipway; the CRDs live under its `crds/`. */
  readonly cacheDir?: string;
  readonly onProgress?: ((line: string) => void) | undefined;
  /** How long to wait for the CRDs to be Established. Default 120 s. */
  readonly timeoutMs?: number;
}

/** The published files the Flux CRDs come from (they exist once `ensureFluxCrds` ran). */
export function fluxCrdPaths(options: Pick<FluxCrdOptions, 'cacheDir'> = {}): string[] {
  const crds = join(options.cacheDir ?? slipwayCacheDir(), 'crds');
  const v = FluxCrdVersions;
  return [
    join(
      crds,
      `flux-source-controller-${v.sourceController}`,
      'source.toolkit.fluxcd.io_gitrepositories.yaml',
    ),
    join(
      crds,
      `flux-kustomize-controller-${v.kustomizeController}`,
      'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
    ),
    // a folder of its own: the first one's .complete marker predates these files
    ...['helmrepositories', 'helmcharts'].map((k) =>
      join(crds, `flux-source-controller-helm-${v.sourceController}`, `source.toolkit.fluxcd.io_${k}.yaml`),
    ),
    join(crds, `flux-helm-controller-${v.helmController}`, 'helm.toolkit.fluxcd.io_helmreleases.yaml'),
    join(
      crds,
      `flux-source-controller-oci-${v.sourceController}`,
      'source.toolkit.fluxcd.io_ocirepositories.yaml',
    ),
    ...['imagerepositories', 'imagepolicies'].map((k) =>
      join(
        crds,
        `flux-image-reflector-controller-${v.imageReflectorController}`,
        `image.toolkit.fluxcd.io_${k}.yaml`,
      ),
    ),
    join(
      crds,
      `flux-image-automation-controller-${v.imageAutomationController}`,
      'image.toolkit.fluxcd.io_imageupdateautomations.yaml',
    ),
  ];
}

const fetchScript = fileURLToPath(new URL('./fetch-flux-crds.sh', import.meta.url));
const WHAT =
  "Flux's CRDs (GitRepository, Kustomization, HelmRepository, HelmChart, HelmRelease, OCIRepository, ImageRepository, ImagePolicy, ImageUpdateAutomation)";

/** Returns the CRD files, fetching the pinned modules from the Go module proxy first when missing. */
export async function ensureFluxCrds(options: FluxCrdOptions = {}): Promise<string[]> {
  const paths = fluxCrdPaths(options);
  if (paths.every((p) => existsSync(p))) return paths;
  if (!hasGo()) throw goMissingError(WHAT);
  await runGoBuild({
    script: fetchScript,
    name: 'fetch-flux-crds',
    what: WHAT,
    failureCode: 'DEV_FLUX_CRDS_FETCH',
    env: {
      SOURCE_CONTROLLER_VERSION: FluxCrdVersions.sourceController,
      KUSTOMIZE_CONTROLLER_VERSION: FluxCrdVersions.kustomizeController,
      HELM_CONTROLLER_VERSION: FluxCrdVersions.helmController,
      IMAGE_REFLECTOR_CONTROLLER_VERSION: FluxCrdVersions.imageReflectorController,
      IMAGE_AUTOMATION_CONTROLLER_VERSION: FluxCrdVersions.imageAutomationController,
      SLIPWAY_CACHE: options.cacheDir ?? slipwayCacheDir(),
    },
    onProgress: options.onProgress,
  });
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0)
    throw new SlipwayError(
      'DEV_FLUX_CRDS_SOURCE',
      `the pinned modules lack ${missing.join(', ')}; check the versions in FluxCrdVersions`,
    );
  return paths;
}

/**
 * The CustomResourceDefinitions of the published files, each also serving the older API versions that
 * manifests still use (see `withOlderVersions`).
 */
export function loadFluxCrds(paths: readonly string[]): KubeObject[] {
  return paths.flatMap((p) =>
    parseManifests(readFileSync(p, 'utf8'), p)
      .filter((o) => o.kind === 'CustomResourceDefinition')
      .map(withOlderVersions),
  );
}

/**
 * Fetches (when needed) and installs Flux's CRDs (GitRepository, Kustomization, HelmRepository,
 * HelmChart, HelmRelease, OCIRepository and the three image automation kinds, with their older served
 * versions) with server-side apply, then waits until they are Established; returns their names. Idempotent.
 */
export async function installFluxCrds(client: KubeClient, options: FluxCrdOptions = {}): Promise<string[]> {
  const crds = loadFluxCrds(await ensureFluxCrds(options));
  for (let attempt = 1; ; attempt++) {
    try {
      const names = await applyAll(client, crds);
      await waitForCrdsEstablished(client, names, { timeoutMs: options.timeoutMs ?? 120_000 });
      return names;
    } catch (err) {
      if (!isRetryable(err) || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}
