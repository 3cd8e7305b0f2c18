/**
 * Scored reviews added to the project: the texts become unlabelled items (through the importer,
 * so deduplication, encodings and the all-or-nothing transaction are the import's), and each one
 * that is still unlabelled gets the model's suggestion as a pre-label. A pre-label is never a
 * label: accepting it in the Annotate view appends a label event with origin model-accepted.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { StudioError } from '../../common/errors';
import type { ImportSummary } from '../../common/ingest';
import type { Project } from '../db/project';
import { storedText, textHash } from '../db/items';

export interface PrelabelResult {
  /** The import's own figures: new items, and texts the project already had. */
  imported: number;
  duplicates: number;
  /** Unlabelled items that got (or replaced) a pre-label; labelled ones keep their label only. */
  prelabelled: number;
  alreadyLabelled: number;
}

/** Reads the scorer's JSON Lines (`text`, `label`, `p_<label>`…) and stores a pre-label per unlabelled item. */
export async function storePrelabels(project: Project, scoredJsonl: string, labels: string[], source: string, imported: ImportSummary): Promise<PrelabelResult> {
  const rows: { text: string; label: string; probabilities: number[] }[] = [];
  const lines = createInterface({ input: createReadStream(scoredJsonl, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    rows.push({ text: String(row['text']), label: String(row['label']), probabilities: labels.map((l) => Number(row[`p_${l}`])) });
  }
  const find = project.db.prepare<[Buffer], { id: number }>('SELECT id FROM items WHERE hash = ?');
  const labelled = project.db.prepare<[number], { label: string | null }>(
    'SELECT e.label FROM latest_label_event l JOIN label_events e ON e.id = l.event_id WHERE l.item_id = ?',
  );
  const write = prelabelWriter(project, source);
  return project.db
    .transaction((): PrelabelResult => {
      let prelabelled = 0;
      let alreadyLabelled = 0;
      for (const row of rows) {
        const item = find.get(textHash(storedText(row.text)));
        if (!item) continue; // a row the import skipped (e.g. too long): nothing to attach to
        if (labelled.get(item.id)?.label) {
          alreadyLabelled++;
          continue;
        }
        write(item.id, labels, Float32Array.from(row.probabilities));
        prelabelled++;
      }
      if (prelabelled > 0) noteRefresh(project, source);
      return { imported: imported.imported, duplicates: imported.duplicates, prelabelled, alreadyLabelled };
    })
    .immediate();
}

const refreshedKey = 'prelabels.refreshedAt';
const sourceKey = 'prelabels.source';

/** When the suggestions were last written and by which model, kept so no one scans the table for it. */
function noteRefresh(project: Project, source: string, at = new Date().toISOString()): void {
  project.meta.set(refreshedKey, at);
  project.meta.set(sourceKey, source);
}

/**
 * The newest suggestions' time and source: read per label by the Annotate screen, so from the
 * meta table, not a scan of a million pre-labels (projects from before it was kept: one scan).
 */
export function lastPrelabelRefresh(project: Project): { at: string | null; source: string | null } {
  const at = project.meta.get(refreshedKey);
  if (at !== null) return { at, source: project.meta.get(sourceKey) };
  return project.db.prepare<[], { at: string | null; source: string | null }>('SELECT max(created_at) AS at, max(source) AS source FROM prelabels').get()!;
}

/** Stores one item's suggestion: the likeliest label, its probability and the margin to the next. */
function prelabelWriter(project: Project, source: string, now = new Date().toISOString()): (itemId: number, labels: string[], probabilities: Float32Array) => void {
  const upsert = project.db.prepare(
    `INSERT INTO prelabels(item_id, label, confidence, margin, probabilities, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(item_id) DO UPDATE SET label = excluded.label, confidence = excluded.confidence, margin = excluded.margin,
       probabilities = excluded.probabilities, source = excluded.source, created_at = excluded.created_at`,
  );
  return (itemId, labels, probabilities) => {
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
    let second = 0;
    for (let c = 0; c < probabilities.length; c++) if (c !== best && probabilities[c]! > second) second = probabilities[c]!;
    const copy = Float32Array.from(probabilities);
    upsert.run(itemId, labels[best], probabilities[best]!, probabilities[best]! - second, Buffer.from(copy.buffer), source, now);
  };
}

export interface ReplaceOptions {
  /** Milliseconds of writing per slice; the next slice's size follows from the last one's time. */
  sliceMs?: number;
  /** Between slices: a timer by default, so requests that arrived meanwhile are answered first. */
  pause?: () => Promise<void>;
  /** False once the project is closed or another opened: the writing stops there. */
  stillOpen?: () => boolean;
}

type Scored = { itemIds: Int32Array; probabilities: Float32Array; labels: string[] };

/** One replacement at a time per project: a second one's clean-up would remove the first one's rows. */
const replacing = new WeakMap<Project, Promise<unknown>>();

/**
 * A fresh scoring of the unlabelled items replaces every pre-label: items labelled since lose
 * theirs, and each still-unlabelled item gets the new model's suggestion.
 *
 * Written in slices of about 8 ms, each its own transaction, with the event loop free between
 * them: at a million suggestions one transaction held the main process 7.1 s, so each of the
 * assistant's refreshes froze labelling that long. Every row names its model and time, so
 * meanwhile (or if the app is killed) an item shows its old suggestion or its new one, each
 * labelled with its own source, never a mix within one row; rows this scoring did not write go at
 * the end.
 */
export async function replacePrelabels(project: Project, scored: Scored, source: string, options: ReplaceOptions = {}): Promise<number> {
  const before = replacing.get(project) ?? Promise.resolve();
  const run = before.catch(() => {}).then(() => replaceInSlices(project, scored, source, options));
  replacing.set(project, run);
  try {
    return await run;
  } finally {
    if (replacing.get(project) === run) replacing.delete(project);
  }
}

async function replaceInSlices(project: Project, scored: Scored, source: string, options: ReplaceOptions): Promise<number> {
  const sliceMs = options.sliceMs ?? 8;
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const stillOpen = options.stillOpen ?? (() => project.db.open);
  const turn = async (first = false) => {
    if (!first) await pause();
    // An import keeps its transaction open across awaits: a slice now would join it.
    while (project.db.inTransaction && stillOpen()) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!stillOpen()) throw new StudioError('cancelled', 'The project was closed while its suggestions were being stored; refresh them again.');
  };
  const resize = (size: number, ms: number, least: number) => Math.max(least, Math.round(size * Math.min(4, Math.max(0.25, sliceMs / Math.max(ms, 0.01)))));

  const k = scored.labels.length;
  const stamp = new Date().toISOString();
  const write = prelabelWriter(project, source, stamp);
  // Labelled while the scoring ran: a label, not a suggestion, is what it has now.
  const unlabelled = project.db.prepare<[number], number>('SELECT 1 FROM unlabelled_items WHERE item_id = ?').pluck();
  let written = 0;
  for (let at = 0, size = 1000; at < scored.itemIds.length; ) {
    await turn(at === 0);
    const end = Math.min(scored.itemIds.length, at + size);
    const started = performance.now();
    project.db
      .transaction(() => {
        for (let i = at; i < end; i++) {
          const itemId = scored.itemIds[i]!;
          if (!unlabelled.get(itemId)) continue;
          write(itemId, scored.labels, scored.probabilities.subarray(i * k, (i + 1) * k));
          written++;
        }
      })
      .immediate();
    at = end;
    size = resize(size, performance.now() - started, 100);
  }
  // Every row not written above: items labelled before it, or not scored this time.
  const last = project.db.prepare('SELECT coalesce(max(item_id), 0) FROM prelabels').pluck().get() as number;
  const stale = project.db.prepare('DELETE FROM prelabels WHERE item_id > ? AND item_id <= ? AND created_at <> ?');
  for (let after = 0, width = 16_384; after < last; ) {
    await turn();
    const upto = Math.min(last, after + width);
    const started = performance.now();
    project.db.transaction(() => stale.run(after, upto, stamp)).immediate();
    after = upto;
    width = resize(width, performance.now() - started, 1024);
  }
  noteRefresh(project, source, stamp);
  return written;
}
