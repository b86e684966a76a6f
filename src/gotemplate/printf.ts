import { formatE, formatF, formatG, isPrintable, quoteGo } from '../go/index.js';
import { TemplateLimitError } from './errors.js';
import { formatValue, stringerText } from './format-value.js';
import { GoDuration } from './go-duration.js';
import { isGoMap, kindOf, typeName } from './values.js';

interface Spec {
  readonly minus: boolean;
  readonly plus: boolean;
  readonly sharp: boolean;
  readonly space: boolean;
  readonly zero: boolean;
  readonly width: number | undefined;
  readonly prec: number | undefined;
  readonly verb: string;
}

const MAX_WIDTH = 100_000;

function pad(s: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const len = [...s].length;
  if (len >= width) return s;
  if (spec.minus) return s + ' '.repeat(width - len);
  if (spec.zero && numeric) {
    const signLen = /^[+\- ]/.test(s) ? 1 : 0;
    return s.slice(0, signLen) + '0'.repeat(width - len) + s.slice(signLen);
  }
  if (spec.zero && !numeric) return '0'.repeat(width - len) + s;
  return ' '.repeat(width - len) + s;
}

function withSign(body: string, negative: boolean, spec: Spec): string {
  if (negative) return '-' + body;
  if (spec.plus) return '+' + body;
  if (spec.space) return ' ' + body;
  return body;
}

function bad(spec: Spec, arg: unknown): string {
  if (arg === undefined || arg === null) return `%!${spec.verb}(<nil>)`;
  return `%!${spec.verb}(${typeName(arg)}=${formatValue(arg)})`;
}

function formatInteger(n: number, spec: Spec): string {
  const abs = Math.abs(n);
  let body: string;
  switch (spec.verb) {
    case 'd':
    case 'v':
      body = String(abs);
      break;
    case 'b':
      body = abs.toString(2);
      break;
    case 'o':
    case 'O':
      body = (spec.verb === 'O' ? '0o' : spec.sharp ? '0' : '') + abs.toString(8);
      break;
    case 'x':
    case 'X': {
      const hex = abs.toString(16);
      body = (spec.sharp ? '0x' : '') + (spec.verb === 'X' ? hex.toUpperCase() : hex);
      if (spec.verb === 'X' && spec.sharp) body = '0X' + hex.toUpperCase();
      break;
    }
    case 'c':
      return String.fromCodePoint(Math.min(Math.max(n, 0), 0x10ffff));
    case 'q':
      return `'${quoteGo(String.fromCodePoint(Math.min(Math.max(n, 0), 0x10ffff)))
        .slice(1, -1)
        .replaceAll("'", "\\'")}'`;
    case 'U':
      return 'U+' + abs.toString(16).toUpperCase().padStart(4, '0');
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      // Slipway cannot tell 3 from 3.0, so integers format as floats here (Go prints %!f(int=3)).
      return formatFloat(n, spec);
    default:
      return bad(spec, n);
  }
  if (spec.prec !== undefined) body = body.padStart(spec.prec, '0');
  return withSign(body, n < 0, spec);
}

function formatFloat(x: number, spec: Spec): string {
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let body: string;
  switch (spec.verb) {
    case 'e':
    case 'E':
      body = formatE(abs, spec.prec ?? 6, spec.verb === 'E');
      break;
    case 'f':
    case 'F':
      body = formatF(abs, spec.prec ?? 6);
      break;
    case 'g':
    case 'G':
    case 'v':
      body = formatG(abs, spec.prec ?? -1, spec.verb === 'G');
      break;
    default:
      return bad(spec, x);
  }
  return Number.isNaN(x) ? 'NaN' : withSign(body.replace(/^\+/, ''), negative && !Number.isNaN(x), spec);
}

function formatString(s: string, spec: Spec): string {
  const text = spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s;
  switch (spec.verb) {
    case 's':
    case 'v':
      return text;
    case 'q':
      if (spec.sharp && !text.includes('`') && [...text].every((c) => c === '\t' || isPrintable(c)))
        return '`' + text + '`';
      return quoteGo(text, spec.plus);
    case 'x':
    case 'X': {
      const hex = Buffer.from(text, 'utf8').toString('hex');
      return spec.verb === 'X' ? hex.toUpperCase() : hex;
    }
    default:
      return bad(spec, s);
  }
}

/** Formats one operand for one verb, recursing into slices and maps like Go's fmt. */
function formatArg(arg: unknown, spec: Spec, depth: number): string {
  if (spec.verb === 'T') return typeName(arg);
  if (spec.verb === 'v' && !spec.sharp) return formatValue(arg, depth);
  const kind = kindOf(arg);
  if (kind === 'nil') return bad(spec, arg);
  if (arg instanceof GoDuration) return spec.verb === 's' ? arg.String() : formatInteger(arg.ns, spec);
  const stringer = kind === 'struct' ? stringerText(arg) : undefined;
  if (stringer !== undefined && (spec.verb === 's' || spec.verb === 'q')) return formatString(stringer, spec);
  if (spec.verb === 'v') return kind === 'string' ? quoteGo(arg as string) : formatValue(arg, depth);
  switch (kind) {
    case 'bool':
      return spec.verb === 't' ? String(arg) : bad(spec, arg);
    case 'int':
      return typeof arg === 'number' ? formatInteger(arg, spec) : bad(spec, arg);
    case 'float':
      return formatFloat(arg as number, spec);
    case 'string':
      return formatString(arg as string, spec);
    case 'slice':
    case 'map':
      if (Array.isArray(arg) || isGoMap(arg)) {
        return formatValue(arg, depth, (x, d) => formatArg(x, spec, d));
      }
      return bad(spec, arg);
    default:
      return bad(spec, arg);
  }
}

/** Go's fmt.Sprintf for the verbs templates use: %v %s %d %q %f %e %g %t %x %X %o %b %c %T %%. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argIndex = 0;
  const re = /%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d*))?(.?)/gsu;
  let last = 0;
  for (let m = re.exec(format); m !== null; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const flags = m[1] ?? '';
    const takeStar = (): number | undefined => {
      const v = args[argIndex++];
      return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
    };
    let width = m[2] === '*' ? takeStar() : m[2] !== undefined ? Number(m[2]) : undefined;
    let minus = flags.includes('-');
    if (width !== undefined && width < 0) {
      minus = true;
      width = -width;
    }
    const precText = m[3];
    const prec = precText === '*' ? takeStar() : precText !== undefined ? Number(precText || '0') : undefined;
    if ((width ?? 0) > MAX_WIDTH || (prec ?? 0) > MAX_WIDTH) {
      throw new TemplateLimitError(`printf width or precision exceeds ${MAX_WIDTH}`);
    }
    const verb = m[4] ?? '';
    if (verb === '') {
      out += '%!(NOVERB)';
      continue;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    const spec: Spec = {
      minus,
      plus: flags.includes('+'),
      sharp: flags.includes('#'),
      space: flags.includes(' '),
      zero: flags.includes('0') && !minus,
      width,
      prec,
      verb,
    };
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argIndex++];
    const numeric = typeof arg === 'number' && verb !== 'c' && verb !== 'q' && verb !== 'T';
    out += pad(formatArg(arg, spec, 0), spec, numeric);
  }
  out += format.slice(last);
  if (argIndex < args.length) {
    const extra = args
      .slice(argIndex)
      .map((a) => (a === undefined || a === null ? '<nil>' : `${typeName(a)}=${formatValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
