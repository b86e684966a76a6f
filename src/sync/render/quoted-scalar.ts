import { randomBytes } from 'node:crypto';
import { CST } from 'yaml';

/**
 * Large double-quoted scalars, decoded without the `yaml` library's cost.
 *
 * The library decodes a double-quoted scalar one character at a time into a growing string, which
 * costs ~35 bytes of memory per character: an 8 MiB quoted string in a manifest (or in helm output,
 * where `| quote` makes them) took the controller from 95 to 360 MiB. Scalars of at least
 * FAST_PATH_BYTES are swapped for a unique plain placeholder before composing, decoded here in runs,
 * and put back into the converted value. Anything unusual (tags, keys spanning lines, an invalid
 * escape) is left to the library, so its errors and semantics are unchanged.
 */
const FAST_PATH_BYTES = 4096;

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * The value of a double-quoted scalar's source (quotes included) with YAML 1.2's escapes and line
 * folding, exactly as the `yaml` library resolves it; undefined where the library would report an
 * error (then it is left to the library).
 */
export function decodeDoubleQuoted(source: string): string | undefined {
  if (source.length < 2 || source[0] !== '"' || source[source.length - 1] !== '"') return undefined;
  const out: string[] = [];
  let run = 1; // start of the pending run of literal characters
  const end = source.length - 1;
  const flush = (to: number) => {
    if (to > run) out.push(source.slice(run, to));
  };
  for (let i = 1; i < end; i++) {
    const ch = source[i];
    if (ch === '\r' && source[i + 1] === '\n') {
      flush(i);
      run = i + 1;
      continue;
    }
    if (ch === '\n') {
      flush(i);
      let fold = '';
      let c = source[i + 1];
      while (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        if (c === '\r' && source[i + 2] !== '\n') break;
        if (c === '\n') fold += '\n';
        i++;
        c = source[i + 1];
      }
      out.push(fold || ' ');
      run = i + 1;
    } else if (ch === '\\') {
      flush(i);
      let next = source[++i];
      if (i >= end || next === undefined) return undefined;
      const code = Object.hasOwn(ESCAPES, next) ? ESCAPES[next] : undefined;
      if (code !== undefined) out.push(code);
      else if (next === '\n') {
        next = source[i + 1];
        while (isBlank(next)) next = source[++i + 1];
      } else if (next === '\r' && source[i + 1] === '\n') {
        next = source[++i + 1];
        while (isBlank(next)) next = source[++i + 1];
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = source.substr(i + 1, length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex) || i + length >= end) return undefined;
        const cp = Number.parseInt(hex, 16);
        if (cp > 0x10ffff) return undefined;
        out.push(String.fromCodePoint(cp));
        i += length;
      } else return undefined;
      run = i + 1;
    } else if (isBlank(ch)) {
      // Whitespace before a line break is trimmed.
      const wsStart = i;
      let next = source[i + 1];
      while (isBlank(next)) next = source[++i + 1];
      if (next === '\n' || (next === '\r' && source[i + 2] === '\n')) {
        flush(wsStart);
        run = i + 1;
      }
    }
  }
  flush(end);
  return out.join('');
}

export interface QuotedScalars {
  /** Placeholder → decoded value, for the tokens swapped in one document. */
  readonly values: Map<string, string>;
}

function hasTag(tokens: readonly CST.SourceToken[] | undefined): boolean {
  return tokens?.some((t) => t.type === 'tag') ?? false;
}

/** Swaps large double-quoted scalars in one CST document for placeholders (see the module comment). */
export function swapLargeQuotedScalars(doc: CST.Token): QuotedScalars {
  const values = new Map<string, string>();
  const nonce = randomBytes(8).toString('hex');
  const swap = (token: CST.Token | undefined, allowMultiline: boolean) => {
    if (token?.type !== 'double-quoted-scalar' || token.source.length < FAST_PATH_BYTES) return;
    if (!allowMultiline && token.source.includes('\n')) return;
    const value = decodeDoubleQuoted(token.source);
    if (value === undefined) return;
    const placeholder = `slipway-quoted-${nonce}-${values.size}`;
    values.set(placeholder, value);
    (token as { type: string }).type = 'scalar';
    token.source = placeholder;
  };
  if (doc.type !== 'document') return { values };
  if (doc.value && !hasTag(doc.start)) swap(doc.value, true);
  CST.visit(doc, (item) => {
    if (hasTag(item.start) || hasTag(item.sep)) return;
    swap(item.key ?? undefined, false);
    swap(item.value, true);
  });
  return { values };
}

/** Puts the decoded values back where their placeholders ended up (values, keys, aliases). */
export function restoreQuotedScalars(value: unknown, values: ReadonlyMap<string, string>): unknown {
  if (values.size === 0) return value;
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return values.get(v) ?? v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = visit(v[i]);
      return v;
    }
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const nv = visit(o[k]);
        const nk = values.get(k);
        if (nk !== undefined) {
          delete o[k];
          o[nk] = nv;
        } else o[k] = nv;
      }
    }
    return v;
  };
  return visit(value);
}
