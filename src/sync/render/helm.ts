import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';
import { runProcess } from '../run-process.js';
import type { HelmSource } from '../types.js';
import { scratchRoot } from '../workspace/index.js';
import { parseManifests } from './parse-manifests.js';

export interface HelmRenderOptions {
  readonly releaseName: string;
  readonly namespace: string;
  readonly helm?: HelmSource;
  /** Helm's cache/config/data homes; kept away from the user's. */
  readonly homeDir: string;
}

/** `helm template` of a chart directory with Argo CD's value precedence: files < values < valuesObject < parameters. */
export async function renderHelm(
  helmBin: string,
  chartDir: string,
  options: HelmRenderOptions,
  label: string,
): Promise<KubeObject[]> {
  const h = options.helm ?? {};
  const scratch = await mkdtemp(join(scratchRoot(), 'slipway-helm-'));
  try {
    const args = [
      'template',
      h.releaseName ?? options.releaseName,
      chartDir,
      '--namespace',
      h.namespace ?? options.namespace,
    ];
    if (!h.skipCrds) args.push('--include-crds');
    for (const f of h.valueFiles ?? []) {
      const path = resolve(chartDir, f);
      if (!existsSync(path)) {
        if (h.ignoreMissingValueFiles) continue;
        throw new SyncError(
          SyncErrorCode.RenderFailed,
          `helm template ${label}: value file ${f} does not exist`,
        );
      }
      args.push('--values', path);
    }
    if (h.values) {
      const p = join(scratch, 'values.yaml');
      await writeFile(p, h.values);
      args.push('--values', p);
    }
    if (h.valuesObject && Object.keys(h.valuesObject).length > 0) {
      const p = join(scratch, 'values-object.yaml');
      await writeFile(p, stringify(h.valuesObject));
      args.push('--values', p);
    }
    for (const p of h.parameters ?? []) {
      if (!p.name) continue;
      args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${p.value ?? ''}`);
    }
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: options.homeDir,
      HELM_CACHE_HOME: join(options.homeDir, 'cache'),
      HELM_CONFIG_HOME: join(options.homeDir, 'config'),
      HELM_DATA_HOME: join(options.homeDir, 'data'),
    };
    const result = await runProcess(helmBin, args, { env, cwd: chartDir, timeoutMs: 120_000 });
    if (result.code !== 0) {
      const why = result.stderr.trim().replaceAll(chartDir, '.').replaceAll(scratch, '<values>');
      throw new SyncError(SyncErrorCode.RenderFailed, `helm template ${label} failed: ${why}`);
    }
    return parseManifests(result.stdout, `helm template ${label}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
