/** A parsed number literal; `isFloat` for literals written with a fraction or exponent. */
export interface NumberLiteral {
  readonly value: number;
  readonly isFloat: boolean;
}

const INT64_MAX = 9223372036854775807n;
const DECIMAL = /^[0-9]+(_[0-9]+)*$/;
const FLOAT = /^([0-9]+(_[0-9]+)*)?(\.[0-9]+(_[0-9]+)*)?([eE][+-]?[0-9]+)?$/;
const PREFIXED: Record<string, RegExp> = {
  x: /^[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/,
  o: /^[0-7]+(_[0-7]+)*$/,
  b: /^[01]+(_[01]+)*$/,
};

const PREFIX_NAMES: Record<string, string> = { x: 'hex', o: 'octal', b: 'binary' };

/** expr's message for a literal Go's strconv cannot hold (the text without its `_` separators). */
const outOfRange = (what: string, parser: 'ParseInt' | 'ParseFloat', text: string): string =>
  `invalid ${what} literal: strconv.${parser}: parsing ${JSON.stringify(text.replaceAll('_', ''))}: value out of range`;

/** Converts literal text (`1_000`, `0x1F`, `1.5`, `1e3`) to a number, or returns the reason it is invalid. */
export function parseNumberLiteral(text: string): NumberLiteral | string {
  const prefix = /^0[xXoObB]/.test(text) ? (text[1] ?? '').toLowerCase() : '';
  if (prefix !== '') {
    const digits = text.slice(2).replace(/^_/, '');
    const pattern = PREFIXED[prefix];
    if (pattern === undefined || !pattern.test(digits))
      return `invalid number literal ${JSON.stringify(text)}`;
    const big = BigInt(`0${prefix}${digits.replaceAll('_', '')}`);
    if (big > INT64_MAX) return outOfRange(PREFIX_NAMES[prefix] ?? 'integer', 'ParseInt', text);
    return { value: Number(big), isFloat: false };
  }
  if (DECIMAL.test(text)) {
    const big = BigInt(text.replaceAll('_', ''));
    if (big > INT64_MAX) return outOfRange('integer', 'ParseInt', text);
    return { value: Number(big), isFloat: false };
  }
  if (text !== '' && text !== '.' && FLOAT.test(text)) {
    const value = Number(text.replaceAll('_', ''));
    if (!Number.isFinite(value)) return outOfRange('float', 'ParseFloat', text);
    return { value, isFloat: true };
  }
  return `invalid number literal ${JSON.stringify(text)}`;
}
