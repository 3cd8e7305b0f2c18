/** Numbers the way analysts read them on screen: `12,480`, `38%`. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percentage = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** `part` of `whole` as a percentage; an empty whole is 0%, not NaN. */
export function formatShare(part: number, whole: number): string {
  return percentage.format(whole > 0 ? part / whole : 0);
}
