/**
 * chart.js for the studio's screens: only the pieces the charts use are registered (tree-shaken
 * ES modules), colours come from the design tokens so charts follow the light and dark themes,
 * and a series that streams thousands of points keeps at most `limit` of them.
 *
 * CSP: chart.js 4 injects no stylesheet; it sizes the canvas through CSSOM (element.style),
 * which `style-src 'self'` allows.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export { Chart };
export type { Plugin } from 'chart.js';

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  accent: string;
  second: string;
  warning: string;
  danger: string;
  surface: string;
}

const tokens: Record<keyof ChartColors, string> = {
  text: '--text',
  muted: '--text-muted',
  grid: '--border',
  accent: '--accent',
  second: '--success',
  warning: '--warning',
  danger: '--danger',
  surface: '--surface',
};

/**
 * The tokens are `light-dark(…)` values, which a canvas cannot parse: a probe element resolves
 * each one to the rgb() the page actually shows in the current theme.
 */
export function chartColors(): ChartColors {
  const probe = document.createElement('span');
  probe.hidden = true;
  document.body.append(probe);
  const resolved = {} as ChartColors;
  for (const [name, token] of Object.entries(tokens) as [keyof ChartColors, string][]) {
    probe.style.color = `var(${token})`;
    resolved[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  return resolved;
}

/** Calls `onchange` when the theme changes (the OS setting, or the app's choice on <html>). */
export function watchTheme(onchange: () => void): () => void {
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onchange);
  const observer = new MutationObserver(onchange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    media.removeEventListener('change', onchange);
    observer.disconnect();
  };
}

/** Axis and legend colours for a chart's options, from the current theme. */
export function themedScales(colors: ChartColors) {
  const axis = { ticks: { color: colors.muted }, grid: { color: colors.grid }, border: { color: colors.grid } };
  return { axis, legend: { labels: { color: colors.text, boxWidth: 12, boxHeight: 12 } } };
}

/**
 * An {x, y} series that stays under `limit` points however long it streams: when full, every
 * other point is dropped and from then on only every `stride`-th point is kept, so the spacing
 * stays even and the chart never has to be rebuilt (its dataset keeps this same array).
 */
export class DecimatedSeries {
  readonly points: { x: number; y: number }[] = [];
  private stride = 1;
  private seen = 0;

  constructor(private readonly limit = 1500) {}

  /** false when the point was skipped (nothing to redraw). */
  add(x: number, y: number): boolean {
    const keep = this.seen++ % this.stride === 0;
    if (!keep) return false;
    this.points.push({ x, y });
    if (this.points.length > this.limit) {
      let write = 0;
      for (let read = 0; read < this.points.length; read += 2) this.points[write++] = this.points[read]!;
      this.points.length = write;
      this.stride *= 2;
    }
    return true;
  }

  clear(): void {
    this.points.length = 0;
    this.stride = 1;
    this.seen = 0;
  }
}
