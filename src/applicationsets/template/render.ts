/**
 * Rendering an ApplicationSet template with one parameter set, as Argo CD's `Render` does: every
 * string of the template (map keys included) goes through fasttemplate or, with `goTemplate: true`,
 * through Go's text/template with sprig and `goTemplateOptions`; null map values are dropped. Pure.
 */
import { type GoTemplate, parse } from '../../gotemplate/index.js';
import { ApplicationSetError, ApplicationSetErrorCode } from '../errors.js';
import { isPlainObject } from '../params.js';
import type { ApplicationSetTemplate, Params } from '../types.js';
import { FastTemplateError, replaceFastTemplate } from './fasttemplate.js';
import { APPLICATIONSET_TEMPLATE_FUNCS } from './template-functions.js';

export interface TemplateMode {
  readonly goTemplate: boolean;
  readonly goTemplateOptions: readonly string[];
  /** The time sprig's `now` returns (passed in: rendering is pure). Default the Unix epoch. */
  readonly now?: Date;
}

type MissingKey = 'default' | 'invalid' | 'zero' | 'error';

/** Go's `Template.Option`: only `missingkey=…` exists; anything else is refused (Go panics). */
function missingKeyOption(options: readonly string[]): MissingKey {
  let mode: MissingKey = 'default';
  for (const opt of options) {
    const m = /^missingkey=(default|invalid|zero|error)$/.exec(opt);
    if (!m) {
      throw new ApplicationSetError(ApplicationSetErrorCode.Template, `unrecognized option: ${opt}`);
    }
    mode = m[1] as MissingKey;
  }
  return mode;
}

const PARSED_CACHE_MAX = 2048;
const parsedCache = new Map<string, GoTemplate>();

function parseCached(text: string, missingKey: MissingKey): GoTemplate {
  const key = `${missingKey}\u0000${text}`;
  let t = parsedCache.get(key);
  if (t === undefined) {
    t = parse('base', text, { funcs: APPLICATIONSET_TEMPLATE_FUNCS, missingKey });
    if (parsedCache.size >= PARSED_CACHE_MAX) parsedCache.clear();
    parsedCache.set(key, t);
  }
  return t;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Argo's `Render.Replace`: one string with one parameter set. */
export function replaceString(text: string, params: Params, mode: TemplateMode): string {
  if (!mode.goTemplate) {
    try {
      return replaceFastTemplate(text, params);
    } catch (err) {
      if (err instanceof FastTemplateError)
        throw new ApplicationSetError(ApplicationSetErrorCode.Template, err.message);
      throw err;
    }
  }
  const missingKey = missingKeyOption(mode.goTemplateOptions);
  let template: GoTemplate;
  try {
    template = parseCached(text, missingKey);
  } catch (err) {
    throw new ApplicationSetError(
      ApplicationSetErrorCode.Template,
      `failed to parse template ${text}: ${messageOf(err)}`,
      { cause: err },
    );
  }
  try {
    return template.execute(params, { now: mode.now ?? new Date(0) });
  } catch (err) {
    throw new ApplicationSetError(
      ApplicationSetErrorCode.Template,
      `failed to execute go template ${text}: ${messageOf(err)}`,
      { cause: err },
    );
  }
}

/** Every string of a JSON value replaced (map keys too); null map values dropped, as Argo's reflection walk. */
export function deepReplace(value: unknown, params: Params, mode: TemplateMode): unknown {
  if (typeof value === 'string') return replaceString(value, params, mode);
  if (Array.isArray(value)) return value.map((v) => deepReplace(v, params, mode));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) continue;
      out[replaceString(k, params, mode)] = deepReplace(v, params, mode);
    }
    return out;
  }
  return value;
}

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** An Application as generated (before the ApplicationSet's namespace and owner are set). */
export interface GeneratedApplication {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'Application';
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly finalizers?: string[];
  };
  readonly spec: Record<string, unknown>;
  readonly operation?: unknown;
}

/** Argo's `GetTempApplication`: the template as an Application. */
export function templateApplication(template: ApplicationSetTemplate): GeneratedApplication {
  const m = template.metadata ?? {};
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: m.name ?? '',
      ...(m.namespace !== undefined && { namespace: m.namespace }),
      ...(m.labels !== undefined && { labels: { ...m.labels } }),
      ...(m.annotations !== undefined && { annotations: { ...m.annotations } }),
      ...(m.finalizers !== undefined && { finalizers: [...m.finalizers] }),
    },
    spec: { ...(template.spec ?? {}) },
  };
}

/**
 * Argo's `RenderTemplateParams`: the template with one parameter set; the resources finalizer is
 * added when the template has none, unless `preserveResourcesOnDeletion`. An empty parameter set
 * returns the template untouched (as upstream).
 */
export function renderApplication(
  template: GeneratedApplication,
  params: Params,
  mode: TemplateMode,
  preserveResourcesOnDeletion: boolean,
): GeneratedApplication {
  if (Object.keys(params).length === 0) return template;
  const rendered = deepReplace(template, params, mode) as GeneratedApplication;
  const finalizers = rendered.metadata.finalizers ?? [];
  if (!preserveResourcesOnDeletion && finalizers.length === 0)
    return { ...rendered, metadata: { ...rendered.metadata, finalizers: [RESOURCES_FINALIZER] } };
  return rendered;
}
