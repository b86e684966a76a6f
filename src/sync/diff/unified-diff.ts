import { structuredPatch } from 'diff';

/**
 * A readable unified diff of two texts (3 lines of context), empty when they are equal. jsdiff's Myers
 * diff takes O((n+m)·d) time and linear memory, so a large manifest with few changes stays cheap.
 * Pure.
 */
export function unifiedDiff(
  before: string,
  after: string,
  fromLabel: string,
  toLabel: string,
  context = 3,
): string {
  // Compare lines, not the final newline: both sides end with exactly one.
  const lines = (text: string) => (text === '' ? '' : `${text.replace(/\n$/, '')}\n`);
  const patch = structuredPatch(fromLabel, toLabel, lines(before), lines(after), undefined, undefined, {
    context,
  });
  if (patch.hunks.length === 0) return '';
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  for (const h of patch.hunks) {
    // an empty range names the line before it, as diff -u does
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    out.push(`@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`);
    out.push(...h.lines);
  }
  return `${out.join('\n')}\n`;
}
