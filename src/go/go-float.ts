/**
 * A float64 as Go's fmt prints it with `%v` (strconv 'g' with the shortest digits, precision 6 for the
 * exponent decision): `3`, `0.5`, `123456`, `1.234567e+06`, `2.1474836485e+09`, `1e-05`, `NaN`, `+Inf`, `-0`.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  // Between 1e-4 and 1e6 JavaScript's shortest form is already positional, with the same digits.
  return String(value);
}
