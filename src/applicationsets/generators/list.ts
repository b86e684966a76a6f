/** The list generator: `elements` (and `elementsYaml`) as parameter sets, as Argo CD's ListGenerator. */
import { parse as parseYaml } from 'yaml';
import { ApplicationSetError, ApplicationSetErrorCode } from '../errors.js';
import { isPlainObject } from '../params.js';
import type { ListGenerator, Params } from '../types.js';
import type { GeneratorContext } from './context.js';

const fail = (message: string) => new ApplicationSetError(ApplicationSetErrorCode.Generator, message);

function goTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

export function generateList(spec: ListGenerator, ctx: GeneratorContext): Params[] {
  const out: Params[] = [];
  for (const element of spec.elements ?? []) {
    if (!isPlainObject(element)) {
      throw fail(
        `error unmarshling list element json: cannot unmarshal ${goTypeName(element)} into Go value of type map[string]interface {}`,
      );
    }
    if (ctx.mode.goTemplate) {
      out.push(element);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(element)) {
      if (key === 'values') {
        if (!isPlainObject(value)) throw fail('error parsing values map');
        for (const [k, v] of Object.entries(value)) {
          if (typeof v !== 'string') throw fail('error parsing value as string %!w(<nil>)');
          params[`values.${k}`] = v;
        }
      } else {
        if (typeof value !== 'string') throw fail('error parsing value as string %!w(<nil>)');
        params[key] = value;
      }
    }
    out.push(params);
  }
  if (spec.elementsYaml !== undefined && spec.elementsYaml !== '') {
    let parsed: unknown;
    try {
      parsed = parseYaml(spec.elementsYaml, { maxAliasCount: 100 });
    } catch (err) {
      throw fail(
        `error unmarshling decoded ElementsYaml ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (parsed !== null && parsed !== undefined) {
      if (!Array.isArray(parsed) || !parsed.every((e) => e === null || isPlainObject(e))) {
        throw fail(
          'error unmarshling decoded ElementsYaml error unmarshaling JSON: json: cannot unmarshal into Go value of type []map[string]interface {}',
        );
      }
      for (const e of parsed) out.push((e ?? {}) as Params);
    }
  }
  return out;
}
