/** The progress strip's pace: how fast this session labels. */
/** Labels per minute over the last five minutes of this session (fewer when it is younger). */
export function labelsPerMinute(times: readonly number[], now: number, windowMs = 5 * 60_000): number | null {
  const recent = times.filter((t) => now - t <= windowMs);
  if (recent.length < 2) return null;
  const spanMs = Math.max(now - recent[0]!, 60_000 / 4);
  return (recent.length / spanMs) * 60_000;
}
