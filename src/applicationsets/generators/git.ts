/**
 * The git generator, as Argo CD's GitGenerator: `directories` (Go path patterns, `exclude` wins)
 * or `files` (JSON/YAML, one object or a list of objects per file, flattened in fasttemplate mode)
 * with the `path` parameters (`path`, `path.basename`, `path.basenameNormalized`, `path.filename`,
 * `path.filenameNormalized`, `path[n]` / `.path.segments`), `pathParamPrefix` and `values`.
 */
import { parse as parseYaml } from 'yaml';
import { ApplicationSetError, ApplicationSetErrorCode } from '../errors.js';
import { flattenParams, isPlainObject, sanitizeName } from '../params.js';
import type { GitGenerator, Params } from '../types.js';
import { EMPTY_GENERATOR, type GeneratorContext } from './context.js';
import { goPathMatch } from './git-paths.js';
import { appendTemplatedValues } from './values.js';

/** Argo's DefaultRequeueAfter for generators that poll (3 minutes). */
export const DEFAULT_GIT_REQUEUE_MS = 180_000;

const fail = (message: string, cause?: unknown) =>
  new ApplicationSetError(
    ApplicationSetErrorCode.Generator,
    message,
    cause === undefined ? undefined : { cause },
  );
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}

function basename(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function pathParams(spec: GitGenerator, dir: string, file: string | undefined, goTemplate: boolean): Params {
  const prefix = spec.pathParamPrefix ?? '';
  if (goTemplate) {
    const p: Record<string, unknown> = {
      path: dir,
      basename: basename(dir),
      basenameNormalized: sanitizeName(basename(dir)),
      segments: dir.split('/'),
    };
    if (file !== undefined) {
      p.filename = basename(file);
      p.filenameNormalized = sanitizeName(basename(file));
    }
    return prefix !== '' ? { [prefix]: { path: p } } : { path: p };
  }
  const name = prefix !== '' ? `${prefix}.path` : 'path';
  const out: Record<string, string> = {
    [name]: dir,
    [`${name}.basename`]: basename(dir),
    [`${name}.basenameNormalized`]: sanitizeName(basename(dir)),
  };
  if (file !== undefined) {
    out[`${name}.filename`] = basename(file);
    out[`${name}.filenameNormalized`] = sanitizeName(basename(file));
  }
  dir.split('/').forEach((segment, i) => {
    if (segment !== '') out[`${name}[${i}]`] = segment;
  });
  return out;
}

function withValues(spec: GitGenerator, params: Record<string, unknown>, ctx: GeneratorContext): Params {
  try {
    appendTemplatedValues(spec.values, params, ctx);
  } catch (err) {
    throw fail(`failed to append templated values: ${messageOf(err)}`);
  }
  return params;
}

async function directoryParams(spec: GitGenerator, ctx: GeneratorContext): Promise<Params[]> {
  let all: readonly string[];
  try {
    all = await ctx.git.directories(spec.repoURL, spec.revision);
  } catch (err) {
    throw fail(
      `error generating params from git: error getting directories from repo: ${messageOf(err)}`,
      err,
    );
  }
  const items = spec.directories ?? [];
  const chosen = all.filter((dir) => {
    let include = false;
    let exclude = false;
    for (const item of items) {
      if (goPathMatch(item.path, dir) !== true) continue;
      if (item.exclude === true) exclude = true;
      else include = true;
    }
    return include && !exclude;
  });
  return chosen.map((dir) =>
    withValues(spec, { ...pathParams(spec, dir, undefined, ctx.mode.goTemplate) }, ctx),
  );
}

function parseParamFile(path: string, text: string): Record<string, unknown>[] {
  const parsed: unknown = parseYaml(text, { maxAliasCount: 100 });
  if (parsed === null || parsed === undefined) return [{}];
  if (isPlainObject(parsed)) return [parsed];
  if (Array.isArray(parsed) && parsed.every((o) => o === null || isPlainObject(o)))
    return parsed.map((o) => (o ?? {}) as Record<string, unknown>);
  throw new Error(`unable to parse file: ${path} holds neither an object nor a list of objects`);
}

async function fileParams(spec: GitGenerator, ctx: GeneratorContext): Promise<Params[]> {
  const contents = new Map<string, string>();
  const read = async (pattern: string) => {
    try {
      return await ctx.git.files(spec.repoURL, spec.revision, pattern);
    } catch (err) {
      throw fail(`error generating params from git: ${messageOf(err)}`, err);
    }
  };
  for (const item of spec.files ?? []) {
    if (item.exclude === true) continue;
    for (const [p, text] of await read(item.path)) contents.set(p, text);
  }
  for (const item of spec.files ?? []) {
    if (item.exclude !== true) continue;
    for (const p of (await read(item.path)).keys()) contents.delete(p);
  }
  const out: Params[] = [];
  for (const file of [...contents.keys()].sort()) {
    let objects: Record<string, unknown>[];
    try {
      objects = parseParamFile(file, contents.get(file) ?? '');
    } catch (err) {
      throw fail(
        `error generating params from git: unable to process file '${file}' from repository '${spec.repoURL}': ${messageOf(err)}`,
      );
    }
    const dir = dirname(file);
    for (const obj of objects) {
      const base = ctx.mode.goTemplate ? { ...obj } : flattenParams(obj);
      out.push(withValues(spec, { ...base, ...pathParams(spec, dir, file, ctx.mode.goTemplate) }, ctx));
      if (out.length > ctx.maxParamSets)
        throw new ApplicationSetError(
          ApplicationSetErrorCode.Limit,
          `the git files generator produced more than ${ctx.maxParamSets} parameter sets`,
        );
    }
  }
  return out;
}

export async function generateGit(spec: GitGenerator, ctx: GeneratorContext): Promise<Params[]> {
  if ((spec.directories ?? []).length > 0) return directoryParams(spec, ctx);
  if ((spec.files ?? []).length > 0) return fileParams(spec, ctx);
  throw fail(`error generating params from git: ${EMPTY_GENERATOR}`);
}

export function gitRequeueAfterMs(spec: GitGenerator): number {
  const s = spec.requeueAfterSeconds;
  return typeof s === 'number' && s >= 0 ? s * 1000 : DEFAULT_GIT_REQUEUE_MS;
}
