/**
 * A small subset of jq path expressions, enough for `ignoreDifferences.jqPathExpressions` as people
 * write them:
 *   .a.b  .a["key.with.dots"]  .a[0]  .a[]  (iterate)  expr | select(.x == "v")  select(.x != "v")
 *   select(.x)  (truthy)  and `|` to chain. Literals: strings, numbers, true, false, null.
 * Anything else is rejected with a message naming the expression. Pure.
 */
export type PathKey = string | number;
type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'each' };
type Segment =
  | { readonly kind: 'path'; readonly steps: readonly Step[] }
  | {
      readonly kind: 'select';
      readonly steps: readonly Step[];
      readonly op?: '==' | '!=';
      readonly value?: unknown;
    };

export class JqPathError extends Error {}

function parseSteps(src: string, expr: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const s = src.trim();
  if (s === '.') return steps;
  while (i < s.length) {
    if (s[i] === '.') {
      i++;
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(s.slice(i));
      if (m) {
        steps.push({ kind: 'field', name: m[0] });
        i += m[0].length;
      } else if (s[i] !== '[') throw new JqPathError(`unsupported jq path "${expr}" at "${s.slice(i)}"`);
    } else if (s[i] === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) throw new JqPathError(`unterminated [ in jq path "${expr}"`);
      const inner = s.slice(i + 1, close).trim();
      if (inner === '') steps.push({ kind: 'each' });
      else if (/^\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^".*"$/.test(inner)) steps.push({ kind: 'field', name: JSON.parse(inner) as string });
      else throw new JqPathError(`unsupported subscript [${inner}] in jq path "${expr}"`);
      i = close + 1;
    } else throw new JqPathError(`unsupported jq path "${expr}" at "${s.slice(i)}"`);
  }
  return steps;
}

export function parseJqPath(expr: string): Segment[] {
  return expr.split('|').map((part) => {
    const p = part.trim();
    const sel = /^select\((.*)\)$/.exec(p);
    if (!sel) return { kind: 'path', steps: parseSteps(p, expr) };
    const cond = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(sel[1]!.trim());
    if (!cond) return { kind: 'select', steps: parseSteps(sel[1]!, expr) };
    let value: unknown;
    try {
      value = JSON.parse(cond[3]!);
    } catch {
      throw new JqPathError(`unsupported literal ${cond[3]} in jq path "${expr}"`);
    }
    return { kind: 'select', steps: parseSteps(cond[1]!, expr), op: cond[2] as '==' | '!=', value };
  });
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let cur = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(k)];
  }
  return cur;
}

function walk(root: unknown, locations: PathKey[][], steps: readonly Step[]): PathKey[][] {
  let locs = locations;
  for (const step of steps) {
    const next: PathKey[][] = [];
    for (const loc of locs) {
      const v = valueAt(root, loc);
      if (step.kind === 'each') {
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) next.push([...loc, i]);
        } else if (v && typeof v === 'object') for (const k of Object.keys(v)) next.push([...loc, k]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v) && step.index < v.length) next.push([...loc, step.index]);
      } else if (v && typeof v === 'object' && !Array.isArray(v) && step.name in v)
        next.push([...loc, step.name]);
    }
    locs = next;
  }
  return locs;
}

/** The locations (paths from the root) that a jq path expression designates in `root`. */
export function evaluateJqPath(root: unknown, expr: string): PathKey[][] {
  let locs: PathKey[][] = [[]];
  for (const seg of parseJqPath(expr)) {
    if (seg.kind === 'path') {
      locs = walk(root, locs, seg.steps);
      continue;
    }
    locs = locs.filter((loc) => {
      const found = walk(root, [loc], seg.steps);
      const v = found[0] ? valueAt(root, found[0]) : undefined;
      if (seg.op === undefined) return v !== undefined && v !== null && v !== false;
      const equal = JSON.stringify(v) === JSON.stringify(seg.value);
      return seg.op === '==' ? equal : !equal;
    });
  }
  return locs;
}
