/**
 * Argo CD's `GenerateApplications` and `validateGeneratedApplications`: every generator entry's
 * parameter sets rendered into Applications (template, then templatePatch), in the
 * ApplicationSet's namespace; then the names checked (present, unique). Generation failures come
 * back as data with Argo's condition reason, never as exceptions.
 */
import { SlipwayError } from '../errors/index.js';
import type { GeneratorContext } from './generators/context.js';
import { transform } from './generators/registry.js';
import { ApplicationSetReason } from './status.js';
import { applyTemplatePatch } from './template/patch.js';
import { type GeneratedApplication, renderApplication, templateApplication } from './template/render.js';
import type { ApplicationSet } from './types.js';

export type GenerateOutcome =
  | { readonly ok: true; readonly apps: readonly GeneratedApplication[] }
  | { readonly ok: false; readonly reason: string; readonly message: string; readonly code: string };

const codeOf = (err: unknown) => (err instanceof SlipwayError ? err.code : 'APPSET_GENERATOR');
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function generateApplications(
  appSet: ApplicationSet,
  ctx: GeneratorContext,
): Promise<GenerateOutcome> {
  const apps: GeneratedApplication[] = [];
  const spec = appSet.spec;
  const preserve = spec.syncPolicy?.preserveResourcesOnDeletion === true;
  let total = 0;
  for (const requested of spec.generators ?? []) {
    let results: Awaited<ReturnType<typeof transform>>;
    try {
      results = await transform(requested, spec.template ?? {}, ctx);
    } catch (err) {
      return {
        ok: false,
        reason: ApplicationSetReason.ApplicationParamsGenerationError,
        message: messageOf(err),
        code: codeOf(err),
      };
    }
    for (const result of results) {
      total += result.params.length;
      if (total > ctx.maxParamSets) {
        return {
          ok: false,
          reason: ApplicationSetReason.ApplicationParamsGenerationError,
          message: `the generators produced more than ${ctx.maxParamSets} parameter sets`,
          code: 'APPSET_LIMIT',
        };
      }
      const template = templateApplication(result.template);
      for (const params of result.params) {
        try {
          let app = renderApplication(template, params, ctx.mode, preserve);
          if (spec.templatePatch !== undefined)
            app = applyTemplatePatch(app, spec.templatePatch, params, ctx.mode);
          apps.push({ ...app, metadata: { ...app.metadata, namespace: appSet.metadata.namespace ?? '' } });
        } catch (err) {
          return {
            ok: false,
            reason: ApplicationSetReason.RenderTemplateParamsError,
            message: messageOf(err),
            code: codeOf(err),
          };
        }
      }
    }
  }
  return { ok: true, apps };
}

/** Argo's name checks: an error message per qualified name (`namespace/name`). */
export function validateGeneratedApplications(
  appSetName: string,
  apps: readonly GeneratedApplication[],
): Map<string, string> {
  const errors = new Map<string, string>();
  const names = new Set<string>();
  for (const app of apps) {
    const name = app.metadata.name ?? '';
    const qualified = `${app.metadata.namespace ?? ''}/${name}`;
    if (name === '') {
      errors.set(
        qualified,
        `ApplicationSet ${appSetName} contains an application with no name; a name must be set in the template's metadata.name or via a templatePatch (generateName is not supported)`,
      );
      continue;
    }
    if (names.has(name)) {
      errors.set(
        qualified,
        `ApplicationSet ${appSetName} contains applications with duplicate name: ${name}`,
      );
      continue;
    }
    names.add(name);
  }
  return errors;
}
