import {
  formatBinaryFloat,
  formatE,
  formatF,
  formatG,
  formatHexFloat,
  isPrintable,
  quoteGo,
} from '../go/index.js';
import { TemplateLimitError } from './errors.js';
import { stringerText } from './format-value.js';
import { GoDuration } from './go-duration.js';
import { GoInt, isGoMap, sortedKeys, typeName } from './values.js';

/**
 * How Go's fmt prints one value under one verb (fmt/print.go and fmt/format.go) for template values:
 * flags, width and precision, verbs per type, bad verbs (`%!d(string=x)`, printed with the verb's
 * flags), verbs applied to every element and map key of composites, `<nil>` inside them. The result is
 * capped at the printer's maximum length. printf.ts drives it over a format string.
 */

/** fmt's tooLarge: widths and precisions beyond a million are not numbers. */
export const TOO_LARGE = 1e6;

export interface Flags {
  widPresent: boolean;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  prec: number;
}

export const clearFlags = (): Flags => ({
  widPresent: false,
  precPresent: false,
  minus: false,
  plus: false,
  sharp: false,
  space: false,
  zero: false,
  plusV: false,
  sharpV: false,
  wid: 0,
  prec: 0,
});

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** A value's own text when fmt would call its String or Error method. */
function methodText(v: unknown): string | undefined {
  if (v instanceof GoInt || typeof v !== 'object' || v === null || Array.isArray(v) || isGoMap(v))
    return undefined;
  return stringerText(v);
}

export class Printer {
  buf = '';
  f: Flags = clearFlags();
  private erroring = false;

  constructor(private readonly maxLength: number) {}

  /** Stops a result that outgrows the cap before it is built (widths pad every element of a list). */
  private reserve(n: number): void {
    if (this.buf.length + n > this.maxLength) {
      throw new TemplateLimitError(`function result exceeds ${this.maxLength} bytes`);
    }
  }

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.reserve(n);
    this.buf += (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private withoutZero(fn: () => void): void {
    const old = this.f.zero;
    this.f.zero = false;
    fn();
    this.f.zero = old;
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    return [...s].slice(0, this.f.prec).join('');
  }

  private fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  private fmtQ(raw: string): void {
    const s = this.truncate(raw);
    const canBackquote =
      !s.includes('`') &&
      !s.includes('\ufeff') &&
      [...s].every((c) => c === '\t' || c >= ' ') &&
      !s.includes('\x7f');
    if (this.f.sharp && canBackquote) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(quoteGo(s, this.f.plus));
  }

  private fmtSx(s: string, upper: boolean): void {
    const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
    const bytes = Buffer.from(s, 'utf8');
    let length = bytes.length;
    if (this.f.precPresent && this.f.prec < length) length = this.f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.f.space) {
        if (this.f.sharp) width *= 2;
        width += length - 1;
      } else if (this.f.sharp) width += 2;
    } else {
      if (this.f.widPresent) this.writePadding(this.f.wid);
      return;
    }
    if (this.f.widPresent && this.f.wid > width && !this.f.minus) this.writePadding(this.f.wid - width);
    const prefix = upper ? '0X' : '0x';
    let out = this.f.sharp ? prefix : '';
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) out += this.f.sharp ? ` ${prefix}` : ' ';
      const c = bytes[i] ?? 0;
      out += (digits[c >> 4] ?? '') + (digits[c & 15] ?? '');
    }
    this.buf += out;
    if (this.f.widPresent && this.f.wid > width && this.f.minus) this.writePadding(this.f.wid - width);
  }

  private fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's':
        this.fmtS(v);
        return;
      case 'x':
      case 'X':
        this.fmtSx(v, verb === 'X');
        return;
      case 'q':
        this.fmtQ(v);
        return;
      default:
        this.badVerb(verb, v);
        return;
    }
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
    else this.badVerb(verb, v);
  }

  private fmtIntegerBase(n: number, base: number, signed: boolean, verb: string, upper: boolean): void {
    const negative = signed && n < 0;
    const u = negative ? -BigInt(n) : BigInt.asUintN(64, BigInt(n));
    const f = this.f;
    this.reserve(f.prec);
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        this.withoutZero(() => this.writePadding(f.wid));
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
      else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (f.plus) digits = `+${digits}`;
    else if (f.space) digits = ` ${digits}`;
    this.withoutZero(() => this.pad(digits));
  }

  private fmtInteger(v: GoInt | GoDuration, verb: string): void {
    const n = v instanceof GoInt ? v.value : v.ns;
    const signed = !(v instanceof GoInt && v.type === 'uint8');
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !signed) {
          const sharp = this.f.sharp;
          this.f.sharp = true;
          this.fmtIntegerBase(n, 16, false, 'v', false);
          this.f.sharp = sharp;
        } else this.fmtIntegerBase(n, 10, signed, verb, false);
        return;
      case 'd':
        this.fmtIntegerBase(n, 10, signed, verb, false);
        return;
      case 'b':
        this.fmtIntegerBase(n, 2, signed, verb, false);
        return;
      case 'o':
      case 'O':
        this.fmtIntegerBase(n, 8, signed, verb, false);
        return;
      case 'x':
      case 'X':
        this.fmtIntegerBase(n, 16, signed, verb, verb === 'X');
        return;
      case 'c':
        this.pad(runeText(n));
        return;
      case 'q':
        this.pad(quoteGo(runeText(n), this.f.plus, "'"));
        return;
      case 'U':
        this.fmtUnicode(n);
        return;
      default:
        this.badVerb(verb, v);
        return;
    }
  }

  private fmtUnicode(n: number): void {
    const u = BigInt.asUintN(64, BigInt(n));
    const prec = this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4;
    let out = `U+${u.toString(16).toUpperCase().padStart(prec, '0')}`;
    if (this.f.sharp && u <= 0x10ffffn) {
      const c = String.fromCodePoint(Number(u) >= 0xd800 && Number(u) < 0xe000 ? 0xfffd : Number(u));
      if (isPrintable(c)) out += ` '${c}'`;
    }
    this.withoutZero(() => this.pad(out));
  }

  private fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        this.floatWith(v, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.floatWith(v, verb, -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        this.floatWith(v, verb, 6);
        return;
      case 'F':
        this.floatWith(v, 'f', 6);
        return;
      default:
        this.badVerb(verb, v);
        return;
    }
  }

  private floatWith(v: number, verb: string, defaultPrec: number): void {
    const f = this.f;
    const prec = f.precPresent ? f.prec : defaultPrec;
    let num = strconvFloat(v, verb, prec);
    num = num.startsWith('-') || num.startsWith('+') ? num : `+${num}`;
    if (f.space && num.startsWith('+') && !f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.withoutZero(() => this.pad(num));
      return;
    }
    if (f.sharp && verb !== 'b') num = sharpFloat(num, verb, prec);
    if (f.plus || !num.startsWith('+')) {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  badVerb(verb: string, value: unknown): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (value === undefined || value === null) this.buf += '<nil>';
    else {
      this.buf += typeName(value);
      this.buf += '=';
      this.printValue(value, 'v', 0);
    }
    this.buf += ')';
    this.erroring = false;
  }

  /** fmt's handleMethods: Stringers and errors print their text for %v %s %x %X %q. */
  private handleMethods(v: unknown, verb: string): boolean {
    if (this.erroring || this.f.sharpV) return false;
    if (!['v', 's', 'x', 'X', 'q'].includes(verb)) return false;
    const text = methodText(v);
    if (text === undefined) return false;
    this.fmtString(text, verb);
    return true;
  }

  printArg(arg: unknown, verb: string): void {
    if (arg === undefined || arg === null) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      this.fmtS(typeName(arg));
      return;
    }
    if (verb === 'p') {
      this.badVerb(verb, arg);
      return;
    }
    this.printValue(arg, verb, 0);
  }

  printValue(v: unknown, verb: string, depth: number): void {
    if (depth > 100) throw new TemplateLimitError('value nesting exceeds 100 levels');
    if (v === undefined || v === null) {
      // A nil element of an []interface{} or map[string]interface{}.
      if (this.f.sharpV) this.buf += 'interface {}(nil)';
      else this.buf += '<nil>';
      return;
    }
    if (this.handleMethods(v, verb)) return;
    if (v instanceof GoInt || v instanceof GoDuration) {
      this.fmtInteger(v, verb);
      return;
    }
    switch (typeof v) {
      case 'boolean':
        this.fmtBool(v, verb);
        return;
      case 'number':
        this.fmtFloat(v, verb);
        return;
      case 'string':
        this.fmtString(v, verb);
        return;
      case 'function':
        this.badVerb(verb, v);
        return;
    }
    if (Array.isArray(v)) {
      this.buf += this.f.sharpV ? `${typeName(v)}{` : '[';
      v.forEach((e, i) => {
        if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
        this.printValue(e, verb, depth + 1);
      });
      this.buf += this.f.sharpV ? '}' : ']';
      return;
    }
    if (isGoMap(v)) {
      this.buf += this.f.sharpV ? `${typeName(v)}{` : 'map[';
      sortedKeys(v).forEach((k, i) => {
        if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
        this.printValue(k, verb, depth + 1);
        this.buf += ':';
        this.printValue(v[k], verb, depth + 1);
      });
      this.buf += this.f.sharpV ? '}' : ']';
      return;
    }
    this.buf += '{';
    Object.values(v as object).forEach((e, i) => {
      if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
      this.printValue(e, verb, depth + 1);
    });
    this.buf += '}';
  }
}

/** fmtC: a code point as text, U+FFFD for what is no valid rune. */
function runeText(n: number): string {
  const valid = n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n < 0xe000);
  return String.fromCodePoint(valid ? n : 0xfffd);
}

/** strconv.AppendFloat(v, verb, prec, 64). */
function strconvFloat(v: number, verb: string, prec: number): string {
  switch (verb) {
    case 'e':
    case 'E':
      return formatE(v, prec, verb === 'E');
    case 'f':
      return formatF(v, prec);
    case 'g':
    case 'G':
      return formatG(v, prec, verb === 'G');
    case 'x':
    case 'X':
      return formatHexFloat(v, prec, verb === 'X');
    default:
      return formatBinaryFloat(v);
  }
}

/** fmt's `#` flag on floats: keep the decimal point and, for %g/%x, trailing zeros up to the precision. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
  let body = num;
  let tail = '';
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === '.') {
      hasPoint = true;
      continue;
    }
    if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    }
    if (c !== '0') sawNonzero = true;
    if (sawNonzero) digits--;
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  if (digits > 0) body += '0'.repeat(digits);
  return body + tail;
}
