import { clearFlags, Printer, TOO_LARGE } from './fmt-printer.js';
import { GoInt, typeName } from './values.js';

/**
 * Go's fmt.Sprintf, Sprint and Sprintln over template values: the format string's flags, width,
 * precision and argument indexes, and the MISSING / EXTRA / NOVERB / BADWIDTH / BADPREC / BADINDEX
 * markers; each operand is printed by fmt-printer.ts.
 */

/** Default cap on one printf result, in UTF-16 units (the template's output cap in practice). */
const DEFAULT_MAX_LENGTH = 1024 * 1024;

/** fmt's intFromArg: an int operand for `*`, or not. */
function intFromArg(args: readonly unknown[], i: number): { num: number; isInt: boolean } {
  const v = args[i];
  if (!(v instanceof GoInt) || Math.abs(v.value) > TOO_LARGE) return { num: 0, isInt: false };
  return { num: v.value, isInt: true };
}

/** fmt's parsenum over `format` from `i`: digits, or none. */
function parseNum(format: string, i: number): { num: number; isNum: boolean; next: number } {
  let num = 0;
  let isNum = false;
  let j = i;
  for (; j < format.length && format[j] !== undefined && format[j]! >= '0' && format[j]! <= '9'; j++) {
    if (num > TOO_LARGE || num < -TOO_LARGE) return { num: 0, isNum: false, next: format.length };
    num = num * 10 + Number(format[j]);
    isNum = true;
  }
  return { num, isNum, next: j };
}

/** Go's fmt.Sprintf over template values. */
export function sprintf(format: string, args: readonly unknown[], maxLength = DEFAULT_MAX_LENGTH): string {
  const p = new Printer(maxLength);
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;
  const argNumber = (i: number): { i: number; found: boolean } => {
    if (i >= end || format[i] !== '[') return { i, found: false };
    reordered = true;
    const close = format.indexOf(']', i + 1);
    if (format.length - i < 3 || close < 0) {
      goodArgNum = false;
      return { i: i + 1, found: false };
    }
    const n = parseNum(format, i + 1);
    const ok = n.isNum && n.next === close;
    const index = n.num - 1;
    if (ok && index >= 0 && index < args.length) {
      argNum = index;
      return { i: close + 1, found: true };
    }
    goodArgNum = false;
    return { i: close + 1, found: ok };
  };
  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const next = format.indexOf('%', i);
    if (next < 0) {
      p.buf += format.slice(i);
      break;
    }
    p.buf += format.slice(i, next);
    i = next + 1;
    p.f = clearFlags();
    const f = p.f;
    let simple = false;
    for (; i < end; i++) {
      const c = format[i] ?? '';
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = true;
      else if (c === '+') f.plus = true;
      else if (c === '-') f.minus = true;
      else if (c === ' ') f.space = true;
      else {
        if (c >= 'a' && c <= 'z' && argNum < args.length) {
          if (c === 'v' || c === 'w') {
            f.sharpV = f.sharp;
            f.sharp = false;
            f.plusV = f.plus;
            f.plus = false;
          }
          if (c === 'w') p.badVerb('w', args[argNum]);
          else p.printArg(args[argNum], c);
          argNum++;
          i++;
          simple = true;
        }
        break;
      }
    }
    if (simple) continue;
    ({ i, found: afterIndex } = argNumber(i));
    if (i < end && format[i] === '*') {
      i++;
      const w = argNum < args.length ? intFromArg(args, argNum) : { num: 0, isInt: false };
      if (argNum < args.length) argNum++;
      f.wid = w.num;
      f.widPresent = w.isInt;
      if (!f.widPresent) p.buf += '%!(BADWIDTH)';
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const n = parseNum(format, i);
      f.wid = n.num;
      f.widPresent = n.isNum;
      i = n.next;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      ({ i, found: afterIndex } = argNumber(i));
      if (i < end && format[i] === '*') {
        i++;
        const pr = argNum < args.length ? intFromArg(args, argNum) : { num: 0, isInt: false };
        if (argNum < args.length) argNum++;
        f.prec = pr.num;
        f.precPresent = pr.isInt;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const n = parseNum(format, i);
        f.prec = n.isNum ? n.num : 0;
        f.precPresent = true;
        i = n.next;
      }
    }
    if (!afterIndex) ({ i, found: afterIndex } = argNumber(i));
    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') p.buf += '%';
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) p.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v' || verb === 'w') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      if (verb === 'w') p.badVerb('w', args[argNum]);
      else p.printArg(args[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    p.f = clearFlags();
    p.buf += '%!(EXTRA ';
    args.slice(argNum).forEach((arg, k) => {
      if (k > 0) p.buf += ', ';
      if (arg === undefined || arg === null) p.buf += '<nil>';
      else {
        p.buf += `${typeName(arg)}=`;
        p.printArg(arg, 'v');
      }
    });
    p.buf += ')';
  }
  return p.buf;
}

/** Go's fmt.Sprint: operands with %v, a space between two operands when neither is a string. */
export function sprint(args: readonly unknown[], maxLength = DEFAULT_MAX_LENGTH): string {
  const p = new Printer(maxLength);
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && typeof args[i - 1] !== 'string') p.buf += ' ';
    p.printArg(a, 'v');
  });
  return p.buf;
}

/** Go's fmt.Sprintln: operands with %v, spaces between all of them, and a newline. */
export function sprintln(args: readonly unknown[], maxLength = DEFAULT_MAX_LENGTH): string {
  const p = new Printer(maxLength);
  args.forEach((a, i) => {
    if (i > 0) p.buf += ' ';
    p.printArg(a, 'v');
  });
  return `${p.buf}\n`;
}
