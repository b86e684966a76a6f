import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { stringify } from 'yaml';
import { SyncError, SyncErrorCode } from '../errors.js';
import { runProcess } from '../run-process.js';
import type { HelmSource } from '../types.js';
import { scratchRoot } from '../workspace/index.js';
import { parseManifestsYielding } from './parse-manifests.js';
import {
  fileTooLargeError,
  type RenderLimits,
  type RenderOutput,
  renderTooLargeError,
} from './render-limits.js';
import { repoRelative, resolveInRepo } from './repo-bounds.js';
import { toolEnv } from './tool-env.js';

export interface HelmRenderOptions {
  readonly releaseName: string;
  readonly namespace: string;
  readonly helm?: HelmSource;
  /** Helm's cache/config/data homes; kept away from the user's. */
  readonly homeDir: string;
  /** Real path of the checkout: value files must resolve inside it. */
  readonly repoRoot: string;
  readonly limits: RenderLimits;
  /**
   * Checkouts of the app's `ref` sources by `$name` (real paths), for value files such as
   * `$values/env/prod.yaml`; each path must stay inside its own checkout.
   */
  readonly refs?: ReadonlyMap<string, string>;
}

/** Argo CD's messages for a `$name` no source defines. */
function unknownRefError(refName: string, refs: ReadonlyMap<string, string> | undefined): SyncError {
  if (!refs || refs.size === 0) {
    return new SyncError(
      SyncErrorCode.InvalidSpec,
      `source referenced "${refName}", but no source has a 'ref' field defined`,
    );
  }
  return new SyncError(
    SyncErrorCode.InvalidSpec,
    `source referenced "${refName}", which is not one of the available sources (${[...refs.keys()].join(', ')})`,
  );
}

/**
 * A value file's path inside the checkout, like Argo CD: relative to the chart, or to the repository
 * root when absolute; anything resolving outside (through `..` or a symlink) is refused, and so are
 * URLs (Slipway does not fetch). Undefined when it does not exist.
 */
async function valueFilePath(
  chartDir: string,
  file: string,
  options: HelmRenderOptions,
  label: string,
): Promise<string | undefined> {
  const { limits } = options;
  let repoRoot = options.repoRoot;
  let inRepo = file;
  if (file.startsWith('$')) {
    // `$name/path`: the path is read from the root of the checkout of the source named `name`.
    const slash = file.indexOf('/');
    const refName = slash < 0 ? file : file.slice(0, slash);
    const refRoot = options.refs?.get(refName);
    if (refRoot === undefined) throw unknownRefError(refName, options.refs);
    repoRoot = refRoot;
    inRepo = `/${slash < 0 ? '' : file.slice(slash + 1)}`;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(file)?.[1];
  if (scheme) {
    throw new SyncError(
      SyncErrorCode.OutOfBounds,
      `helm template ${label}: value file ${file}: the URL scheme '${scheme}' is not allowed`,
    );
  }
  const rel = inRepo.startsWith('/')
    ? inRepo.slice(1)
    : posix.join(repoRelative(repoRoot, chartDir) ?? '', inRepo);
  const r = await resolveInRepo(repoRoot, rel);
  if (r.kind === 'outside') {
    throw new SyncError(
      SyncErrorCode.OutOfBounds,
      `helm template ${label}: file '${file}' resolved to outside repository root`,
    );
  }
  if (r.kind === 'loop' || !r.exists) return undefined;
  const path = join(repoRoot, r.path);
  const s = await stat(path);
  if (!s.isFile()) return undefined;
  if (s.size > limits.maxFileBytes) throw fileTooLargeError(r.path, s.size, limits);
  return path;
}

/**
 * `helm template` of a chart directory with Argo CD's value precedence: files < values < valuesObject
 * < parameters. Helm runs without network and is killed once its output passes the render limit.
 */
export async function renderHelm(
  helmBin: string,
  chartDir: string,
  options: HelmRenderOptions,
  label: string,
): Promise<RenderOutput> {
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
      const path = await valueFilePath(chartDir, f, options, label);
      if (path === undefined) {
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
      ...toolEnv(),
      HOME: options.homeDir,
      HELM_CACHE_HOME: join(options.homeDir, 'cache'),
      HELM_CONFIG_HOME: join(options.homeDir, 'config'),
      HELM_DATA_HOME: join(options.homeDir, 'data'),
    };
    const result = await runProcess(helmBin, args, {
      env,
      cwd: chartDir,
      timeoutMs: 120_000,
      maxStdoutBytes: options.limits.maxRenderBytes,
    });
    if (result.stdoutOverflow) throw renderTooLargeError(`helm template ${label}`, options.limits);
    if (result.timedOut) {
      throw new SyncError(SyncErrorCode.RenderFailed, `helm template ${label} timed out after 120 s`);
    }
    if (result.code !== 0) {
      const why = result.stderr.trim().replaceAll(chartDir, '.').replaceAll(scratch, '<values>');
      throw new SyncError(SyncErrorCode.RenderFailed, `helm template ${label} failed: ${why}`);
    }
    const objects = await parseManifestsYielding(result.stdout, `helm template ${label}`);
    return { objects, bytes: Buffer.byteLength(result.stdout) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
