import { installFluxCrds } from '../../dev/flux-crds/index.js';
import { applyAll, DEPLOY_DIR, installCrds, readManifestDir, sortForInstall } from '../../install/index.js';
import { booleanOption, type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { progress } from '../output.js';

export const installCommand: Command = {
  path: ['install'],
  summary:
    'Install Slipway CRDs (server-side apply, waits for Established) and optionally the controller from deploy/',
  options: {
    controller: {
      type: 'boolean',
      description: 'also apply deploy/ (namespace, RBAC, controller Deployment)',
    },
    flux: {
      type: 'boolean',
      description:
        "also install Flux's CRDs for the flux module (GitRepository, Kustomization, HelmRepository, HelmChart, HelmRelease, OCIRepository, ImageRepository, ImagePolicy, ImageUpdateAutomation, also served in their older versions; fetched from the Go module proxy once)",
    },
    'dry-run': { type: 'boolean', description: 'server-side dry run: validate without changing anything' },
  },
  async run(args) {
    const client = clientFromArgs(args);
    const dryRun = booleanOption(args, 'dry-run');
    try {
      const names = await installCrds(client, { dryRun, onProgress: (m) => progress(`  ${m}`) });
      progress(`${names.length} CRDs ${dryRun ? 'validated' : 'installed'}`);
      if (booleanOption(args, 'flux')) {
        if (dryRun) progress("Flux's CRDs: not validated in a dry run");
        else {
          const flux = await installFluxCrds(client, { onProgress: (m) => progress(`  ${m}`) });
          progress(`${flux.length} Flux CRDs installed`);
        }
      }
      if (booleanOption(args, 'controller')) {
        const objects = sortForInstall(readManifestDir(DEPLOY_DIR));
        await applyAll(client, objects, { dryRun, onProgress: (m) => progress(`  ${m}`) });
        progress(`controller manifests ${dryRun ? 'validated' : 'applied'} (${objects.length} objects)`);
      }
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
