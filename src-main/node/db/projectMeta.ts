/**
 * The project's own settings: name, label set, split seed and fractions, the current model.
 */
import { StudioError } from '../../common/errors';
import { canonicalLabel, type LabelDef } from '../../common/labels';
import type { Split } from '../../common/contract';
import type { Db } from './open';

const currentModelKey = 'current_model_run_id';

export class ProjectMeta {
  private readonly getStmt;
  private readonly labelsStmt;
  private labelCache: LabelDef[] | null = null;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.labelsStmt = db.prepare<[], LabelDef>('SELECT name, key, color FROM label_set ORDER BY position');
  }

  get(key: string): string | null {
    return this.getStmt.get(key)?.value ?? null;
  }

  /** null removes the key. */
  set(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
    else this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The run the analyst marked as the project's model (Runs screen), if any. */
  currentModelRunId(): number | null {
    const value = this.get(currentModelKey);
    return value === null ? null : Number(value);
  }

  setCurrentModelRunId(runId: number | null): void {
    this.set(currentModelKey, runId === null ? null : String(runId));
  }

  name(): string {
    return this.get('name') ?? 'Untitled project';
  }

  labels(): LabelDef[] {
    this.labelCache ??= this.labelsStmt.all();
    return this.labelCache;
  }

  /** The project label a user-typed value refers to (case- and space-insensitive), or null. */
  findLabel(value: string): string | null {
    const wanted = canonicalLabel(value);
    return this.labels().find((l) => canonicalLabel(l.name) === wanted)?.name ?? null;
  }

  /** Like findLabel, but a value outside the label set is an error naming the allowed labels. */
  requireLabel(value: string): string {
    const label = this.findLabel(value);
    if (label === null) {
      const names = this.labels().map((l) => l.name).join(', ');
      throw new StudioError('invalid-input', `label '${value}' is not one of ${names}`);
    }
    return label;
  }

  splitSeed(): number {
    return Number(this.get('split_seed') ?? 42);
  }

  splitFractions(): Record<Split, number> {
    const raw = this.get('split_fractions');
    return raw ? (JSON.parse(raw) as Record<Split, number>) : { train: 0.8, validation: 0.1, test: 0.1 };
  }
}
