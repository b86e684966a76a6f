/**
 * `templatePatch`: rendered with the parameter set like the template, read as YAML or JSON, and
 * merged into the generated Application. The Application type declares no list merge keys, so
 * Kubernetes' strategic merge patch reduces to a JSON merge patch (maps merge, lists and scalars
 * replace, null deletes). As upstream, the patch cannot change `spec.project`. Pure.
 */
import { parse as parseYaml } from 'yaml';
import { ApplicationSetError, ApplicationSetErrorCode } from '../errors.js';
import { isPlainObject } from '../params.js';
import type { Params } from '../types.js';
import { type GeneratedApplication, replaceString, type TemplateMode } from './render.js';

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function applyTemplatePatch(
  app: GeneratedApplication,
  templatePatch: string,
  params: Params,
  mode: TemplateMode,
): GeneratedApplication {
  let text: string;
  try {
    text = replaceString(templatePatch, params, mode);
  } catch (err) {
    throw new ApplicationSetError(
      ApplicationSetErrorCode.Template,
      `error replacing values in templatePatch: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  let patch: unknown;
  try {
    patch = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new ApplicationSetError(
      ApplicationSetErrorCode.Template,
      `error while converting template to json ${JSON.stringify(text)}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (patch !== null && patch !== undefined && !isPlainObject(patch)) {
    throw new ApplicationSetError(
      ApplicationSetErrorCode.Template,
      `invalid templatePatch ${JSON.stringify(text)}: the patch must be a map of Application fields`,
    );
  }
  const patched = mergePatch(app, patch ?? {}) as GeneratedApplication;
  const { project: _ignored, ...spec } = isPlainObject(patched.spec) ? patched.spec : {};
  return {
    ...patched,
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    spec: app.spec.project === undefined ? spec : { ...spec, project: app.spec.project },
  };
}
