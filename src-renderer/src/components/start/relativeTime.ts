/** "3 hours ago", "yesterday", in the UI's locale; older than a week shows the date. */
export function relativeTime(iso: string, locale: string, now: Date = new Date()): string | null {
  const then = new Date(iso);
  const seconds = (then.getTime() - now.getTime()) / 1000;
  if (!Number.isFinite(seconds)) return null;
  if (Math.abs(seconds) < 60) return null;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86400],
  ];
  for (const [unit, size] of [...steps].reverse()) {
    if (Math.abs(seconds) >= size) {
      if (unit === 'day' && Math.abs(seconds) >= 7 * 86400) {
        return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(then);
      }
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(Math.round(seconds / 60), 'minute');
}
