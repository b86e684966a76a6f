import { parse, stringify } from 'yaml';
import type { KubeObject } from '../kube/index.js';

/** Objects carrying this annotation or label set to `disabled` are not substituted (Flux). */
export const SUBSTITUTE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';

const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export type SubstituteResult =
  | { readonly ok: true; readonly objects: readonly KubeObject[] }
  | { readonly ok: false; readonly message: string };

/** The first variable name Flux refuses, as its error says it; undefined when all are valid. */
export function invalidVariableName(vars: Readonly<Record<string, string>>): string | undefined {
  for (const name of Object.keys(vars)) {
    if (!VAR_NAME.test(name))
      return `'${name}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'`;
  }
  return undefined;
}

/**
 * envsubst over one text as Flux's postBuild does (non-strict): `${var}`, `${var:=default}`,
 * `${var:-default}`, `${var=default}` and `${var-default}`; an unset variable without a default
 * becomes empty; `$${var}` is an escape for a literal `${var}`; `$var` is left alone. Pure.
 */
export function substituteText(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$(\$?)\{([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-=])([^}]*))?\}/g,
    (
      match: string,
      escaped: string,
      varName: string,
      op: string | undefined,
      fallback: string | undefined,
    ) => {
      if (escaped === '$') return match.slice(1);
      const value = vars[varName];
      if (op === undefined) return value ?? '';
      const emptyCounts = op.startsWith(':');
      if (value === undefined || (emptyCounts && value === '')) return fallback ?? '';
      return value;
    },
  );
}

function isDisabled(o: KubeObject): boolean {
  return (
    o.metadata.annotations?.[SUBSTITUTE_KEY] === 'disabled' ||
    o.metadata.labels?.[SUBSTITUTE_KEY] === 'disabled'
  );
}

/**
 * Substitutes variables in every object's YAML (Flux's postBuild, per object after the build).
 * Variables: `substituteFrom` data merged in order, then `substitute` over them. Pure.
 */
export function substituteObjects(
  objects: readonly KubeObject[],
  vars: Readonly<Record<string, string>>,
): SubstituteResult {
  const invalid = invalidVariableName(vars);
  if (invalid !== undefined) return { ok: false, message: invalid };
  const out: KubeObject[] = [];
  for (const o of objects) {
    if (isDisabled(o)) {
      out.push(o);
      continue;
    }
    const text = stringify(o);
    const replaced = substituteText(text, vars);
    if (replaced === text) {
      out.push(o);
      continue;
    }
    try {
      out.push(parse(replaced) as KubeObject);
    } catch (err) {
      const what = `${o.kind ?? ''}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name ?? ''}`;
      return {
        ok: false,
        message: `post build failed for '${what}': ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  return { ok: true, objects: out };
}
