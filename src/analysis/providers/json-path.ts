/**
 * Kubernetes JSONPath as Argo's web provider uses it (k8s.io/client-go/util/jsonpath: `Parse`, then
 * `FindResults`, then the first value found). A template is text with `{…}` actions: `{$.data.ok}`,
 * `{.items[0].value}`, `{$.items[*].v}`, `{$.items[-1]}`, `{$.items[1:3]}`, `{$['key']}`, `{..v}`.
 * Text outside braces is a literal (`$.data.ok` without braces selects the string "$.data.ok", as in Argo).
 * Filters (`[?(@.x == 1)]`) and `range`/`end` are not supported and say so. Map wildcards and `..` visit
 * keys in document order (Go's map order is random).
 */

type Node =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'recursive' }
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'array'; readonly params: readonly Param[] }
  | { readonly kind: 'union'; readonly lists: readonly Node[][] };

interface Param {
  readonly known: boolean;
  readonly value: number;
  readonly derived?: boolean;
}

/** A parsed template: literal text, or an action's nodes. */
export type JsonPathSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly nodes: readonly Node[] };

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const DICT_KEY = /^'([^']*)'$/;
const isTerminator = (c: string | undefined): boolean => c === undefined || ' \t\r\n.,[]$@{}'.includes(c);
const isAlphaNumeric = (c: string): boolean => /^[\p{L}\p{Nd}_]$/u.test(c);
/** Go's `%#U`: `U+0021 '!'`. */
const goRune = (c: string): string =>
  `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} '${c}'`;

/** Parses one action's inside, from `pos` up to its closing brace; returns the nodes and the end. */
function parseAction(input: string, start: number): Parsed<{ nodes: Node[]; end: number }> {
  const nodes: Node[] = [];
  let pos = start;
  for (;;) {
    const rest = input.slice(pos);
    if (rest.startsWith('}')) return { ok: true, value: { nodes, end: pos + 1 } };
    if (rest.startsWith('[?('))
      return { ok: false, message: 'jsonPath filters are not supported by slipway' };
    if (rest.startsWith('..')) {
      if (nodes.at(-1)?.kind === 'recursive')
        return { ok: false, message: 'invalid multiple recursive descent' };
      nodes.push({ kind: 'recursive' });
      pos += 2;
      if (isAlphaNumeric(input[pos] ?? '')) pos = parseField(input, pos, nodes);
      continue;
    }
    const c = input[pos];
    if (c === undefined || c === '\r' || c === '\n') return { ok: false, message: 'unclosed action' };
    if (c === ' ' || c === '@' || c === '$') pos++;
    else if (c === '.') pos = parseField(input, pos + 1, nodes);
    else if (c === '[') {
      const close = input.indexOf(']', pos);
      const newline = input.slice(pos, close < 0 ? undefined : close).search(/\n/);
      if (close < 0 || newline >= 0) return { ok: false, message: 'unterminated array' };
      const parsed = parseArray(input.slice(pos + 1, close));
      if (!parsed.ok) return parsed;
      nodes.push(...parsed.value);
      pos = close + 1;
    } else if (c === '"' || c === "'") {
      let end = pos + 1;
      while (end < input.length && !(input[end] === c && input[end - 1] !== '\\')) end++;
      if (end >= input.length) return { ok: false, message: 'unterminated quoted string' };
      nodes.push({ kind: 'literal', value: input.slice(pos + 1, end).replace(/\\(.)/g, '$1') });
      pos = end + 1;
    } else if (/[-+\d]/.test(c)) {
      const number = /^[-+]?[\d.]*/.exec(rest)?.[0] ?? '';
      const value = Number(number);
      if (number === '' || Number.isNaN(value))
        return { ok: false, message: `cannot parse number ${number}` };
      nodes.push({ kind: 'literal', value });
      pos += number.length;
    } else if (isAlphaNumeric(c)) {
      let end = pos;
      while (!isTerminator(input[end])) end++;
      const word = input.slice(pos, end);
      nodes.push(
        word === 'true' || word === 'false'
          ? { kind: 'literal', value: word === 'true' }
          : { kind: 'identifier', name: word },
      );
      pos = end;
    } else return { ok: false, message: `unrecognized character in action: ${goRune(c)}` };
  }
}

/** `.name` (backslash escapes a terminator) or `.*`; returns the position after it. */
function parseField(input: string, start: number, nodes: Node[]): number {
  let end = start;
  while (end < input.length) {
    if (input[end] === '\\') end += 2;
    else if (isTerminator(input[end])) break;
    else end++;
  }
  const name = input.slice(start, end);
  nodes.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name: name.replaceAll('\\', '') });
  return end;
}

/** The inside of `[…]`: `*`, a union `a,b`, a dict key `'k'`, an index or a slice `a:b:c`. */
function parseArray(inner: string): Parsed<Node[]> {
  const text = inner === '*' ? ':' : inner;
  const parts = text.split(',');
  if (parts.length > 1) {
    const lists: Node[][] = [];
    for (const part of parts) {
      const parsed = parseArray(part.trim());
      if (!parsed.ok) return parsed;
      lists.push(parsed.value);
    }
    return { ok: true, value: [{ kind: 'union', lists }] };
  }
  const key = DICT_KEY.exec(text);
  if (key !== null) {
    const parsed = parseAction(`.${key[1]}}`, 0);
    return parsed.ok ? { ok: true, value: parsed.value.nodes } : parsed;
  }
  const slice = SLICE.exec(text);
  if (slice === null) return { ok: false, message: `invalid array index ${text}` };
  const groups = [slice[1] ?? '', slice[2] ?? '', slice[3] ?? ''];
  const params: Param[] = [];
  for (const [i, group] of groups.entries()) {
    const raw = i > 0 ? group.slice(1) : group;
    if (group === '') {
      params.push(
        i === 1
          ? { known: true, value: (params[0]?.value ?? 0) + 1, derived: true }
          : { known: false, value: 0 },
      );
    } else if (i > 0 && raw === '') params.push({ known: false, value: 0 });
    else if (!/^[-+]?\d+$/.test(raw)) return { ok: false, message: `array index ${raw} is not a number` };
    else params.push({ known: true, value: Number.parseInt(raw, 10) });
  }
  return { ok: true, value: [{ kind: 'array', params }] };
}

/** Parses a template into text and actions (`Parse`); the message is the parser's. */
export function parseJsonPath(template: string): Parsed<JsonPathSegment[]> {
  const segments: JsonPathSegment[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf('{', pos);
    if (open < 0) {
      segments.push({ kind: 'text', text: template.slice(pos) });
      break;
    }
    if (open > pos) segments.push({ kind: 'text', text: template.slice(pos, open) });
    const action = parseAction(template, open + 1);
    if (!action.ok) return action;
    segments.push({ kind: 'action', nodes: action.value.nodes });
    pos = action.value.end;
  }
  return { ok: true, value: segments };
}

const isNil = (v: unknown): boolean => v === null || v === undefined;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** The Go type `json.Unmarshal` gives a value, as errors name it. */
const goType = (v: unknown): string =>
  isObject(v)
    ? 'map[string]interface {}'
    : typeof v === 'number'
      ? 'float64'
      : typeof v === 'boolean'
        ? 'bool'
        : typeof v;
const children = (v: unknown): unknown[] =>
  Array.isArray(v)
    ? v
    : isObject(v)
      ? Object.values(v)
      : typeof v === 'string'
        ? [...new TextEncoder().encode(v)]
        : [];

function evalArray(input: unknown[], params: readonly Param[]): Parsed<unknown[]> {
  const out: unknown[] = [];
  for (const value of input) {
    if (isNil(value)) continue;
    if (!Array.isArray(value)) return { ok: false, message: `${goType(value)} is not array or slice` };
    const length = value.length;
    const [p0, p1, p2] = params as [Param, Param, Param];
    let from = p0.known ? p0.value : 0;
    if (from < 0) from += length;
    let to = p1.known ? p1.value : length;
    if (to < 0 || (to === 0 && p1.derived === true)) to += length;
    if (to === from) return { ok: true, value: out };
    if (from >= length || from < 0)
      return { ok: false, message: `array index out of bounds: index ${from}, length ${length}` };
    if (to > length || to < 0)
      return { ok: false, message: `array index out of bounds: index ${to - 1}, length ${length}` };
    if (from > to) return { ok: false, message: `starting index ${from} is greater than ending index ${to}` };
    if (p2.known && p2.value <= 0) return { ok: false, message: 'step must be > 0' };
    const step = p2.known ? p2.value : 1;
    for (let i = from; i < to; i += step) out.push(value[i]);
  }
  return { ok: true, value: out };
}

function evalRecursive(input: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const value of input) {
    if (isNil(value)) continue;
    const inner = children(value);
    if (inner.length === 0) continue;
    out.push(value, ...evalRecursive(inner));
  }
  return out;
}

function evalList(input: unknown[], nodes: readonly Node[]): Parsed<unknown[]> {
  let current = input;
  for (const node of nodes) {
    switch (node.kind) {
      case 'literal':
        current = [node.value];
        break;
      case 'field': {
        const found = current.filter((v) => isObject(v) && Object.hasOwn(v, node.name));
        if (found.length === 0 && current.length > 0)
          return { ok: false, message: `${node.name} is not found` };
        current = found.map((v) => (v as Record<string, unknown>)[node.name]);
        break;
      }
      case 'wildcard':
        current = current.filter((v) => !isNil(v)).flatMap(children);
        break;
      case 'recursive':
        current = evalRecursive(current);
        break;
      case 'identifier':
        return {
          ok: false,
          message:
            node.name === 'range' || node.name === 'end'
              ? `jsonPath ${node.name} is not supported by slipway`
              : `unrecognized identifier ${node.name}`,
        };
      case 'array': {
        const out = evalArray(current, node.params);
        if (!out.ok) return out;
        current = out.value;
        break;
      }
      case 'union': {
        const out: unknown[] = [];
        for (const list of node.lists) {
          const part = evalList(current, list);
          if (!part.ok) return part;
          out.push(...part.value);
        }
        current = out;
      }
    }
  }
  return { ok: true, value: current };
}

/**
 * The first value a template finds in a JSON document (`FindResults`, then Argo's `getValue`), with
 * Argo's web provider messages: a parse error as the parser says it, `Could not find JSONPath in body: …`,
 * or `result of web metric produced no value`. Argo panics on `{$}` over a `null` body; here it is null.
 */
export function evaluateJsonPath(
  path: string,
  document: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const parsed = parseJsonPath(path === '' ? '{$}' : path);
  if (!parsed.ok) return parsed;
  for (const segment of parsed.value) {
    if (segment.kind === 'text') return { ok: true, value: segment.text };
    const found = evalList([document], segment.nodes);
    if (!found.ok) return { ok: false, message: `Could not find JSONPath in body: ${found.message}` };
    if (found.value.length > 0) return { ok: true, value: found.value[0] };
  }
  return { ok: false, message: 'result of web metric produced no value' };
}
