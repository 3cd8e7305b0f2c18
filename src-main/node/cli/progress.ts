/**
 * A progress bar on stderr. On a terminal it redraws one line; otherwise (CI logs, pipes) it
 * prints a plain line every 10% so logs stay readable.
 */
export interface ProgressState {
  done: number;
  total: number;
  /** Shown after the bar, e.g. "12,000 rows · 8.1 MB/s". */
  detail?: string;
  etaMs?: number | null;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class ProgressBar {
  private lastDecile = -1;
  private drawn = false;
  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 28,
  ) {}

  update(state: ProgressState): void {
    const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 0;
    const percent = Math.floor(fraction * 100);
    const eta = state.etaMs != null && fraction < 1 ? ` · ETA ${formatDuration(state.etaMs)}` : '';
    const detail = state.detail ? ` · ${state.detail}` : '';
    if (this.stream.isTTY) {
      const filled = Math.round(fraction * this.width);
      const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
      this.stream.write(`\r${this.label} ${bar} ${String(percent).padStart(3)}%${detail}${eta}\x1b[K`);
      this.drawn = true;
    } else {
      const decile = Math.floor(percent / 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${this.label} ${percent}%${detail}${eta}\n`);
      }
    }
  }

  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
