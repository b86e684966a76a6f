/**
 * The subset of Kubernetes JSONPath Argo's web provider users write: `{$.data.ok}`, `{.items[0].value}`,
 * `{$["key with.dots"]}`, `{$}`. Returns the value, or a reason when the path is unsupported or absent.
 */
export function evaluateJsonPath(
  path: string,
  document: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  let expr = path.trim();
  if (expr.startsWith('{') && expr.endsWith('}')) expr = expr.slice(1, -1).trim();
  if (expr.startsWith('$')) expr = expr.slice(1);
  let current = document;
  let rest = expr;
  while (rest !== '') {
    let key: string | number;
    const dot = /^\.([A-Za-z0-9_-]+)/.exec(rest);
    const index = /^\[(-?\d+)\]/.exec(rest);
    const quoted = /^\[\s*(['"])(.*?)\1\s*\]/.exec(rest);
    if (dot !== null) {
      key = dot[1]!;
      rest = rest.slice(dot[0].length);
    } else if (index !== null) {
      key = Number(index[1]);
      rest = rest.slice(index[0].length);
    } else if (quoted !== null) {
      key = quoted[2]!;
      rest = rest.slice(quoted[0].length);
    } else {
      return { ok: false, message: `unsupported jsonPath ${JSON.stringify(path)}` };
    }
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return { ok: false, message: `${path}: not an array at [${key}]` };
      const i = key < 0 ? current.length + key : key;
      if (i < 0 || i >= current.length)
        return { ok: false, message: `${path}: array index ${key} out of bounds` };
      current = current[i];
    } else {
      if (
        typeof current !== 'object' ||
        current === null ||
        Array.isArray(current) ||
        !Object.hasOwn(current, key)
      )
        return { ok: false, message: `${path}: ${key} is not found` };
      current = (current as Record<string, unknown>)[key];
    }
  }
  return { ok: true, value: current };
}
