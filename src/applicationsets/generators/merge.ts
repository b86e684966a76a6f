/**
 * The merge generator: the first child's parameter sets, each overridden by the sets of later
 * children with the same values of `mergeKeys`, as Argo CD's MergeGenerator.
 */
import { ApplicationSetError, ApplicationSetErrorCode } from '../errors.js';
import { mergeParamsOverride } from '../params.js';
import type { MergeGenerator, Params } from '../types.js';
import type { ChildGenerate, GeneratorContext } from './context.js';

const fail = (message: string) => new ApplicationSetError(ApplicationSetErrorCode.Generator, message);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Go's json.Marshal of the key map: keys sorted, missing values null. */
function mergeKeyOf(keys: readonly string[], params: Params): string {
  const sorted = [...new Set(keys)].sort();
  return `{${sorted.map((k) => `${JSON.stringify(k)}:${JSON.stringify(params[k] ?? null)}`).join(',')}}`;
}

function byMergeKey(keys: readonly string[], sets: readonly Params[]): Map<string, Params> {
  if (keys.length < 1)
    throw fail(
      'error getting param sets by merge key: no merge keys were specified, Merge requires at least one',
    );
  const out = new Map<string, Params>();
  for (const set of sets) {
    const key = mergeKeyOf(keys, set);
    if (out.has(key))
      throw fail(
        `error getting param sets by merge key: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${key}`,
      );
    out.set(key, set);
  }
  return out;
}

export async function generateMerge(
  spec: MergeGenerator,
  ctx: GeneratorContext,
  child: ChildGenerate,
): Promise<Params[]> {
  const children = spec.generators ?? [];
  if (children.length < 2) throw fail('found less than two generators, Merge requires two or more');
  const sets: Params[][] = [];
  for (const [i, g] of children.entries()) {
    try {
      sets.push(await child(g));
    } catch (err) {
      throw fail(
        `error getting param sets from generators: error getting params from generator ${i + 1} of ${children.length}: ${messageOf(err)}`,
      );
    }
  }
  const keys = spec.mergeKeys ?? [];
  const base = byMergeKey(keys, sets[0] ?? []);
  for (const later of sets.slice(1)) {
    const overrides = byMergeKey(keys, later);
    for (const [key, set] of base) {
      const o = overrides.get(key);
      if (o !== undefined)
        base.set(key, ctx.mode.goTemplate ? mergeParamsOverride(set, o) : { ...set, ...o });
    }
  }
  return [...base.values()];
}
