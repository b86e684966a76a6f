import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, posix } from 'node:path';
import { parse } from 'yaml';
import { SyncError, SyncErrorCode } from '../errors.js';
import { fileTooLargeError, type RenderLimits } from './render-limits.js';
import { resolveInRepo } from './repo-bounds.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;
/** Fields whose entries may name another kustomization directory (a new root for kustomize). */
const ROOT_FIELDS = ['resources', 'bases', 'components', 'generators', 'transformers', 'validators'] as const;
/** Fields naming files; kustomize's root-only restrictor keeps them in place, but not URLs. */
const FILE_FIELDS = ['crds', 'configurations', 'patchesStrategicMerge'] as const;
/** Kustomizations visited per render before giving up (a generous bound on a repository's graph). */
const MAX_KUSTOMIZATIONS = 1_000;

/** `https://…`, `git@host:…`, `github.com/org/repo//path?ref=v1`: anything kustomize would fetch. */
export function isRemoteReference(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^[\w.-]+@[\w.-]+:/.test(entry) ||
    entry.includes('?ref=') ||
    entry.includes('?version=') ||
    entry.includes('//')
  );
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && !v.includes('\n'));
}

function pathsOf(value: unknown, key: string): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const p = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    return typeof p === 'string' ? [p] : [];
  });
}

function generatorFiles(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((g) => {
    if (!g || typeof g !== 'object') return [];
    const o = g as Record<string, unknown>;
    const files = strings(o.files).map((f) => (f.includes('=') ? f.slice(f.indexOf('=') + 1) : f));
    return [...files, ...strings(o.envs), ...(typeof o.env === 'string' ? [o.env] : [])];
  });
}

function refused(
  label: string,
  where: string,
  why: string,
  code: SyncErrorCode = SyncErrorCode.OutOfBounds,
): SyncError {
  return new SyncError(code, `kustomize build ${label} failed: ${where}: ${why}`);
}

/**
 * Walks the kustomization graph from the app directory before kustomize runs: every base,
 * component, generator or transformer directory must resolve inside the checkout, and no entry may
 * be remote (Slipway never fetches). Files inside a kustomization are left to kustomize's default
 * root-only load restrictor, which is never relaxed. `appRel` is repository-relative.
 */
export async function checkKustomizeInputs(
  repoRoot: string,
  appRel: string,
  limits: RenderLimits,
  label: string,
): Promise<void> {
  const queue = [appRel];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const dirRel = queue.shift()!;
    if (seen.has(dirRel)) continue;
    seen.add(dirRel);
    if (seen.size > MAX_KUSTOMIZATIONS) {
      const why = `more than ${MAX_KUSTOMIZATIONS} kustomizations`;
      throw refused(label, dirRel, why, SyncErrorCode.RenderFailed);
    }
    const file = await kustomizationFile(repoRoot, dirRel);
    if (!file) continue;
    const fileRel = posix.join(dirRel, file.name);
    if (file.size > limits.maxFileBytes) throw fileTooLargeError(fileRel, file.size, limits);
    let k: Record<string, unknown>;
    try {
      const doc = parse(await readFile(join(repoRoot, fileRel), 'utf8')) as unknown;
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) continue;
      k = doc as Record<string, unknown>;
    } catch {
      continue; // kustomize reports the syntax error itself
    }
    const fileEntries = [
      ...FILE_FIELDS.flatMap((f) => strings(k[f])),
      ...pathsOf(k.patches, 'path'),
      ...pathsOf(k.patchesJson6902, 'path'),
      ...pathsOf(k.replacements, 'path'),
      ...generatorFiles(k.configMapGenerator),
      ...generatorFiles(k.secretGenerator),
      ...(k.openapi && typeof k.openapi === 'object' ? pathsOf([k.openapi], 'path') : []),
    ];
    for (const entry of fileEntries) {
      if (isRemoteReference(entry)) throw refused(label, fileRel, `remote file ${entry} is not allowed`);
    }
    for (const entry of ROOT_FIELDS.flatMap((f) => strings(k[f]))) {
      if (isRemoteReference(entry)) throw refused(label, fileRel, `remote base ${entry} is not allowed`);
      if (isAbsolute(entry)) throw refused(label, fileRel, `${entry} is outside the repository`);
      const r = await resolveInRepo(repoRoot, posix.join(dirRel, entry));
      if (r.kind === 'outside') throw refused(label, fileRel, `${entry} is outside the repository`);
      if (r.kind === 'loop') {
        throw refused(
          label,
          fileRel,
          `${entry}: too many levels of symbolic links`,
          SyncErrorCode.RenderFailed,
        );
      }
      if (!r.exists) {
        const why = `${entry} does not exist in the repository (remote bases are not fetched)`;
        throw refused(label, fileRel, why, SyncErrorCode.RenderFailed);
      }
      if ((await stat(join(repoRoot, r.path))).isDirectory()) queue.push(r.path);
    }
  }
}

async function kustomizationFile(
  repoRoot: string,
  dirRel: string,
): Promise<{ name: string; size: number } | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    try {
      const s = await stat(join(repoRoot, dirRel, name));
      if (s.isFile()) return { name, size: s.size };
    } catch {
      // try the next name
    }
  }
  return undefined;
}
