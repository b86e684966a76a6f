import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderToolPaths } from '../../../src/sync/render/index.js';
import { type TestChart, writeChartFolder } from './chart-repo-server.js';

/**
 * Packages `chart` with the cached Helm (`helm package`) and pushes it to `oci://<host>/<path>` with
 * `helm push --plain-http`, as a chart author publishes to a registry (tag = version with `+` as `_`,
 * Helm's config and chart-content media types). Returns the manifest digest the registry serves.
 */
export async function pushHelmChart(host: string, path: string, chart: TestChart): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'slipway-helm-push-'));
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(work, 'home', 'cache'),
    HELM_CONFIG_HOME: join(work, 'home', 'config'),
    HELM_DATA_HOME: join(work, 'home', 'data'),
    HELM_REGISTRY_CONFIG: join(work, 'home', 'registry.json'),
  };
  try {
    const root = join(work, 'src', chart.name);
    writeChartFolder(root, chart);
    const helm = renderToolPaths().helm;
    const out = join(work, 'out');
    execFileSync(helm, ['package', root, '--destination', out], { env, stdio: 'pipe', timeout: 60_000 });
    const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('helm package wrote no archive');
    execFileSync(helm, ['push', join(out, tgz), `oci://${host}/${path}`, '--plain-http'], {
      env,
      stdio: 'pipe',
      timeout: 60_000,
    });
    const res = await fetch(
      `http://${host}/v2/${path}/${chart.name}/manifests/${chart.version.replaceAll('+', '_')}`,
      {
        method: 'HEAD',
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
      },
    );
    const digest = res.headers.get('docker-content-digest');
    if (!res.ok || !digest) throw new Error(`pushed chart not found in the registry: ${res.status}`);
    return digest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
