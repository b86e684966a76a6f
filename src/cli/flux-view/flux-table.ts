/**
 * The table `flux get` prints (olekukonko/tablewriter v0.0.5 as flux v2.9.5 configures it: no borders, no
 * header line, left aligned, headers upper-cased, cells padded to the column width and followed by a tab;
 * the header's last cell is followed by a space instead). A cell with newlines spans several lines, the
 * missing lines of its row's other cells padded with blanks. Pure.
 */

const ansi = /\x1b\[(?:[0-9]{1,3}(?:;[0-9]{1,3})*)?[m|K]/g;

/** The width tablewriter measures: code points, escape sequences excluded. */
function displayWidth(s: string): number {
  return [...s.replace(ansi, '')].length;
}

/** tablewriter's `Title`: underscores to spaces, trimmed, upper-cased. */
function title(header: string): string {
  const t = header.replaceAll('_', ' ').trim();
  return (t === '' && header !== '' ? ' ' : t).toUpperCase();
}

const padRight = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

/** Renders `rows` under `header` (no header line when `header` is undefined or empty). */
export function formatFluxTable(
  header: readonly string[] | undefined,
  rows: readonly (readonly string[])[],
): string {
  const heads = header ?? [];
  const cells = rows.map((r) => r.map((c) => c.split('\n')));
  const columns = Math.max(heads.length, ...cells.map((r) => r.length));
  const widths: number[] = Array.from({ length: columns }, () => 0);
  const measure = (row: readonly (readonly string[])[]): void => {
    for (const [i, lines] of row.entries())
      for (const l of lines) widths[i] = Math.max(widths[i] ?? 0, displayWidth(l));
  };
  measure(heads.map((h) => h.split('\n')));
  for (const r of cells) measure(r);
  let out = '';
  if (heads.length > 0) {
    const headLines = heads.map((h) => h.split('\n'));
    const height = Math.max(...headLines.map((l) => l.length));
    for (let x = 0; x < height; x++) {
      for (let y = 0; y < columns; y++) {
        const h = title(headLines[y]?.[x] ?? '');
        out += padRight(h, widths[y] ?? 0) + (y === columns - 1 ? ' ' : '\t');
      }
      out += '\n';
    }
  }
  for (const r of cells) {
    const height = Math.max(...r.map((l) => l.length));
    for (let x = 0; x < height; x++) {
      for (let y = 0; y < r.length; y++) out += `${padRight(r[y]?.[x] ?? '  ', widths[y] ?? 0)}\t`;
      out += '\n';
    }
  }
  return out;
}
