/**
 * Column alignment as the upstream plugin prints its tables (Go's text/tabwriter, minwidth 0,
 * padding 2, blanks): every cell but the last of a row is padded to its column's widest cell plus
 * two spaces. Widths ignore ANSI colour sequences. Trailing blanks are trimmed.
 */
const ANSI = /\u001b\[[0-9;]*m/g;

export const visibleLength = (text: string): number => [...text.replace(ANSI, '')].length;

export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell) + 2) : cell,
      )
      .join('')
      .trimEnd(),
  );
}

/** ANSI colour codes the plugin uses. */
export const Color = { red: 31, green: 32, yellow: 33, hiBlue: 94 } as const;

/** `text` in colour `code` when `enabled` (and a code is given); plain otherwise. */
export const paint = (enabled: boolean, code: number | undefined, text: string): string =>
  enabled && code !== undefined ? `\u001b[${code}m${text}\u001b[0m` : text;
