/**
 * The browser code (src/dashboard/ui, Preact + htm + uPlot) bundled by esbuild into one script and
 * one stylesheet: at `npm run build` into dist/dashboard-ui/ (shipped, no CDN), or in memory when a
 * source checkout runs without a build.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipwayError } from '../errors/index.js';

export interface DashboardAssets {
  readonly 'app.js': Buffer;
  readonly 'app.css': Buffer;
}

export class DashboardAssetsError extends SlipwayError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('DASHBOARD_ASSETS', message, options);
  }
}

/** The package root: two levels above this file in src/dashboard and in dist/dashboard alike. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUILT_ASSETS_DIR = join(ROOT, 'dist', 'dashboard-ui');
const UI_ENTRY = join(ROOT, 'src', 'dashboard', 'ui', 'main.ts');

/** Bundles the UI; `outdir` writes the files there too. */
export async function bundleDashboardUi(outdir?: string): Promise<DashboardAssets> {
  if (!existsSync(UI_ENTRY))
    throw new DashboardAssetsError(
      `the dashboard's assets are missing: neither ${BUILT_ASSETS_DIR} nor its sources exist; run npm run build`,
    );
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (cause) {
    throw new DashboardAssetsError('esbuild is not installed; run npm ci, then npm run build', { cause });
  }
  const result = await esbuild.build({
    entryPoints: { app: UI_ENTRY },
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    outdir: outdir ?? BUILT_ASSETS_DIR,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const pick = (ext: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (file === undefined) throw new DashboardAssetsError(`the dashboard bundle has no ${ext} output`);
    return Buffer.from(file.contents);
  };
  const assets = { 'app.js': pick('.js'), 'app.css': pick('.css') };
  if (outdir !== undefined) {
    await mkdir(outdir, { recursive: true });
    for (const [name, data] of Object.entries(assets)) await writeFile(join(outdir, name), data);
  }
  return assets;
}

/** The built assets when `npm run build` made them, else a bundle made now from the sources. */
export async function loadDashboardAssets(): Promise<DashboardAssets> {
  if (existsSync(join(BUILT_ASSETS_DIR, 'app.js')) && !existsSync(UI_ENTRY)) {
    return {
      'app.js': await readFile(join(BUILT_ASSETS_DIR, 'app.js')),
      'app.css': await readFile(join(BUILT_ASSETS_DIR, 'app.css')),
    };
  }
  return bundleDashboardUi();
}
