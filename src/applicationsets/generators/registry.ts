/**
 * The generator registry and Argo CD's `Transform`: each generator kind set on an entry yields its
 * parameter sets (interpolated first when nested in a matrix), filtered by the entry's `selector`
 * over the flattened parameters, with the entry's template merged over the ApplicationSet's.
 */
import { matchesMetaLabelSelector } from '../../kube/index.js';
import { ApplicationSetError, ApplicationSetErrorCode } from '../errors.js';
import { flattenParams, isPlainObject } from '../params.js';
import { deepReplace, replaceString, type TemplateMode } from '../template/render.js';
import type { ApplicationSetGenerator, ApplicationSetTemplate, Params } from '../types.js';
import { generateClusters } from './clusters.js';
import type { GeneratorContext } from './context.js';
import { generateGit, gitRequeueAfterMs } from './git.js';
import { generateList } from './list.js';
import { generateMatrix } from './matrix.js';
import { generateMerge } from './merge.js';

export const GENERATOR_KINDS = ['list', 'clusters', 'git', 'matrix', 'merge'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

/** Argo CD generators this slice does not run: an ApplicationSet using one gets a clear error. */
const UNSUPPORTED_KINDS = ['scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin'] as const;

/** Matrix and merge may nest; deeper than this is refused (Argo allows two levels). */
const MAX_NESTING = 3;

export interface TransformResult {
  readonly params: Params[];
  readonly template: ApplicationSetTemplate;
}

const fail = (message: string) => new ApplicationSetError(ApplicationSetErrorCode.Generator, message);

/** The kinds set on one generator entry, in Argo's field order. */
export function generatorKinds(generator: ApplicationSetGenerator): GeneratorKind[] {
  const unsupported = UNSUPPORTED_KINDS.filter((k) => generator[k] !== undefined && generator[k] !== null);
  if (unsupported.length > 0)
    throw fail(
      `generator ${unsupported.join(', ')} is not supported by Slipway yet (supported: ${GENERATOR_KINDS.join(', ')})`,
    );
  return GENERATOR_KINDS.filter((k) => generator[k] !== undefined && generator[k] !== null);
}

/** mergo.Merge(dst, src) without override: src fills what dst leaves empty, maps key by key. */
function fillEmpty(dst: unknown, src: unknown): unknown {
  if (isPlainObject(dst) && isPlainObject(src)) {
    const out: Record<string, unknown> = { ...dst };
    for (const [k, v] of Object.entries(src)) out[k] = k in out ? fillEmpty(out[k], v) : v;
    return out;
  }
  const empty =
    dst === undefined ||
    dst === null ||
    dst === '' ||
    dst === false ||
    dst === 0 ||
    (Array.isArray(dst) && dst.length === 0) ||
    (isPlainObject(dst) && Object.keys(dst).length === 0);
  return empty && src !== undefined ? src : dst;
}

/** Argo's `RenderGeneratorParams`: `values` keep what they cannot resolve yet (missing keys). */
function interpolate(
  generator: ApplicationSetGenerator,
  params: Params,
  mode: TemplateMode,
): ApplicationSetGenerator {
  const out = deepReplace(generator, params, mode) as Record<string, unknown>;
  const strict: TemplateMode = {
    ...mode,
    goTemplateOptions: [
      ...mode.goTemplateOptions.filter((o) => !o.startsWith('missingkey=')),
      'missingkey=error',
    ],
  };
  for (const kind of ['clusters', 'git'] as const) {
    const values = generator[kind]?.values;
    const target = out[kind];
    if (values === undefined || !isPlainObject(target)) continue;
    const resolved: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      try {
        resolved[k] = replaceString(v, params, mode.goTemplate ? strict : mode);
      } catch (err) {
        if (/map has no entry for key|can't evaluate field/.test(err instanceof Error ? err.message : '')) {
          resolved[k] = v;
          continue;
        }
        throw fail(
          `failed to replace parameters in generator: failed to pre-resolve Values key "${k}": ${String(err)}`,
        );
      }
    }
    target.values = resolved;
  }
  return out as ApplicationSetGenerator;
}

async function paramsOf(
  kind: GeneratorKind,
  generator: ApplicationSetGenerator,
  ctx: GeneratorContext,
  depth: number,
): Promise<Params[]> {
  const child = async (g: ApplicationSetGenerator, p?: Params): Promise<Params[]> => {
    if (depth + 1 > MAX_NESTING) throw fail(`generators nest deeper than ${MAX_NESTING} levels`);
    let results: TransformResult[];
    try {
      results = await transform(g, {}, ctx, p, depth + 1);
    } catch (err) {
      throw fail(
        `child generator returned an error on parameter generation: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (results.length === 0) throw fail('child generator generated no parameters');
    if (results.length > 1) throw fail('found more than one generator in matrix.Generators');
    return results[0]!.params;
  };
  switch (kind) {
    case 'list':
      return generateList(generator.list ?? {}, ctx);
    case 'clusters':
      return generateClusters(generator.clusters ?? {}, ctx);
    case 'git':
      return generateGit(generator.git ?? { repoURL: '' }, ctx);
    case 'matrix':
      return generateMatrix(generator.matrix ?? {}, ctx, child);
    case 'merge':
      return generateMerge(generator.merge ?? {}, ctx, child);
  }
}

/** Argo's `Transform` for one generator entry; `interpolation` comes from a matrix's first child. */
export async function transform(
  requested: ApplicationSetGenerator,
  baseTemplate: ApplicationSetTemplate,
  ctx: GeneratorContext,
  interpolation?: Params,
  depth = 0,
): Promise<TransformResult[]> {
  const results: TransformResult[] = [];
  const generator =
    interpolation !== undefined && Object.keys(interpolation).length > 0
      ? interpolate(requested, interpolation, ctx.mode)
      : requested;
  for (const kind of generatorKinds(requested)) {
    const own = (requested[kind] as { template?: ApplicationSetTemplate } | undefined)?.template ?? {};
    const template = fillEmpty(own, baseTemplate) as ApplicationSetTemplate;
    const params = await paramsOf(kind, generator, ctx, depth);
    const selector = requested.selector;
    const kept =
      selector === undefined
        ? params
        : params.filter((p) => matchesMetaLabelSelector(selector, flattenParams(p)));
    results.push({ params: kept, template });
  }
  return results;
}

/** The earliest re-generation a generator entry asks for (ms; 0 = none): git polls, others do not. */
export function requeueAfterMs(generator: ApplicationSetGenerator): number {
  let min = 0;
  const consider = (t: number) => {
    if (t > 0 && (min === 0 || t < min)) min = t;
  };
  if (generator.git) consider(gitRequeueAfterMs(generator.git));
  for (const g of [...(generator.matrix?.generators ?? []), ...(generator.merge?.generators ?? [])])
    consider(requeueAfterMs(g));
  return min;
}

/** Whether an entry (or a nested one) reads cluster Secrets: those ApplicationSets follow Secret changes. */
export function usesClusters(generator: ApplicationSetGenerator): boolean {
  if (generator.clusters) return true;
  return [...(generator.matrix?.generators ?? []), ...(generator.merge?.generators ?? [])].some(usesClusters);
}
