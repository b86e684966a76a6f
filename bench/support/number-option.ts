/**
 * A numeric command-line option of a bench: `--cases 20` or `--cases=20` (bench/run.mjs passes on only
 * arguments that start with "-"); `fallback` when it is absent or not a number.
 */
export function numberOption(
  name: string,
  fallback: number,
  args: readonly string[] = process.argv.slice(2),
): number {
  const i = args.indexOf(name);
  const inline = args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  const value = Number(inline ?? (i >= 0 ? args[i + 1] : undefined) ?? fallback);
  return Number.isFinite(value) ? value : fallback;
}
