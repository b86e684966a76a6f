/**
 * A generator's `values`: each value rendered with the parameters generated so far, then added as
 * `values.<key>` (fasttemplate) or under `values` (Go template). Rendering reads only the params
 * already allow-listed, never the other values, as Argo CD does against billion-laughs expansion.
 */
import { replaceString } from '../template/render.js';
import type { GeneratorContext } from './context.js';

export function appendTemplatedValues(
  values: Readonly<Record<string, string>> | undefined,
  params: Record<string, unknown>,
  ctx: GeneratorContext,
): void {
  if (values === undefined) return;
  const rendered: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) {
    const value = values[key] ?? '';
    try {
      rendered[key] = replaceString(value, params, ctx.mode);
    } catch (err) {
      throw new Error(
        `failed to replace templated string: failed to replace templated string with rendered values: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }
  if (ctx.mode.goTemplate) {
    if (Object.keys(rendered).length > 0) params.values = rendered;
  } else {
    for (const [k, v] of Object.entries(rendered)) params[`values.${k}`] = v;
  }
}
