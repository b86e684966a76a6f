import { parse } from 'yaml';

/** How a scalar is written in the source: the new value keeps it where it can. */
export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';

const FLOW_INDICATORS = /[,[\]{}]/;

/** True when `value` read back as a plain scalar is the same string under YAML 1.1 and 1.2. */
function isPlainSafe(value: string, inFlow: boolean): boolean {
  if (value === '' || value.trim() !== value || /[\n\r\t]/.test(value)) return false;
  if (inFlow && FLOW_INDICATORS.test(value)) return false;
  try {
    return (
      parse(value, { version: '1.1', prettyErrors: false }) === value &&
      parse(value, { version: '1.2', prettyErrors: false }) === value
    );
  } catch {
    return false;
  }
}

/**
 * The source text for a scalar now holding `value`, in the old scalar's style: a plain scalar stays
 * plain unless the value would read back as something else (a number, a boolean, `null`, a
 * comment), then it is double-quoted as kyaml's setters do; quoted scalars keep their quotes. Pure.
 */
export function scalarText(value: string, style: ScalarStyle, inFlow: boolean): string {
  if (style === 'QUOTE_SINGLE' && !/[\n\r]/.test(value)) return `'${value.replaceAll("'", "''")}'`;
  if (style === 'PLAIN' && isPlainSafe(value, inFlow)) return value;
  return JSON.stringify(value);
}
