/**
 * The matrix generator: the product of two child generators; the second is interpolated with each
 * parameter set of the first, as Argo CD's MatrixGenerator.
 */
import { ApplicationSetError, ApplicationSetErrorCode } from '../errors.js';
import { mergeParamsOverride, stringifyParams } from '../params.js';
import type { MatrixGenerator, Params } from '../types.js';
import type { ChildGenerate, GeneratorContext } from './context.js';

const fail = (message: string) => new ApplicationSetError(ApplicationSetErrorCode.Generator, message);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Argo's `CombineStringMaps`: the union, refusing one key with two values. */
function combineStringMaps(a: Params, b: Params): Params {
  const res: Record<string, string> = { ...stringifyParams(a) };
  for (const [k, v] of Object.entries(stringifyParams(b))) {
    const current = res[k];
    if (current !== undefined && current !== v)
      throw fail(`found duplicate key ${k} with different value, a: ${current} ,b: ${v}`);
    res[k] = v;
  }
  return res;
}

export async function generateMatrix(
  spec: MatrixGenerator,
  ctx: GeneratorContext,
  child: ChildGenerate,
): Promise<Params[]> {
  const children = spec.generators ?? [];
  if (children.length < 2) throw fail('found less than two generators, Matrix support only two');
  if (children.length > 2) throw fail('found more than two generators, Matrix support only two');
  const [first, second] = children as [NonNullable<(typeof children)[0]>, NonNullable<(typeof children)[1]>];
  let g0: Params[];
  try {
    g0 = await child(first);
  } catch (err) {
    throw fail(`error failed to get params for first generator in matrix generator: ${messageOf(err)}`);
  }
  const out: Params[] = [];
  for (const a of g0) {
    let g1: Params[];
    try {
      g1 = await child(second, a);
    } catch (err) {
      throw fail(`failed to get params for second generator in the matrix generator: ${messageOf(err)}`);
    }
    for (const b of g1) {
      out.push(
        ctx.mode.goTemplate ? mergeParamsOverride(mergeParamsOverride({}, b), a) : combineStringMaps(a, b),
      );
      if (out.length > ctx.maxParamSets)
        throw new ApplicationSetError(
          ApplicationSetErrorCode.Limit,
          `the matrix generator produced more than ${ctx.maxParamSets} parameter sets`,
        );
    }
  }
  return out;
}
