/**
 * Go's `metav1.Time.Format(time.RFC3339)` as the flux CLI prints status times: the instant in the local zone,
 * whole seconds, `Z` for a zero offset, else `±hh:mm`. Pure: the zone's offset comes in as a function.
 */
export function formatLocalRfc3339(
  iso: string | undefined,
  offsetMinutesAt: (epochMs: number) => number,
): string {
  // a missing time is metav1's zero value, which is not local
  if (iso === undefined || iso === '') return '0001-01-01T00:00:00Z';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const offset = offsetMinutesAt(ms);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}
