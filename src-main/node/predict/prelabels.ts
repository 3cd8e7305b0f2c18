/**
 * Scored reviews added to the project: the texts become unlabelled items (through the importer,
 * so deduplication, encodings and the all-or-nothing transaction are the import's), and each one
 * that is still unlabelled gets the model's suggestion as a pre-label. A pre-label is never a
 * label: accepting it in the Annotate view appends a label event with origin model-accepted.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
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
function noteRefresh(project: Project, source: string): void {
  project.meta.set(refreshedKey, new Date().toISOString());
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
function prelabelWriter(project: Project, source: string): (itemId: number, labels: string[], probabilities: Float32Array) => void {
  const upsert = project.db.prepare(
    `INSERT INTO prelabels(item_id, label, confidence, margin, probabilities, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(item_id) DO UPDATE SET label = excluded.label, confidence = excluded.confidence, margin = excluded.margin,
       probabilities = excluded.probabilities, source = excluded.source, created_at = excluded.created_at`,
  );
  const now = new Date().toISOString();
  return (itemId, labels, probabilities) => {
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
    let second = 0;
    for (let c = 0; c < probabilities.length; c++) if (c !== best && probabilities[c]! > second) second = probabilities[c]!;
    const copy = Float32Array.from(probabilities);
    upsert.run(itemId, labels[best], probabilities[best]!, probabilities[best]! - second, Buffer.from(copy.buffer), source, now);
  };
}

/**
 * A fresh scoring of the unlabelled items replaces every pre-label: items labelled since lose
 * theirs, and each still-unlabelled item gets the new model's suggestion.
 */
export function replacePrelabels(project: Project, scored: { itemIds: Int32Array; probabilities: Float32Array; labels: string[] }, source: string): number {
  const k = scored.labels.length;
  const labelled = project.db.prepare<[number], { label: string | null }>(
    'SELECT e.label FROM latest_label_event l JOIN label_events e ON e.id = l.event_id WHERE l.item_id = ?',
  );
  return project.db
    .transaction(() => {
      project.db.prepare('DELETE FROM prelabels').run();
      const write = prelabelWriter(project, source);
      let n = 0;
      scored.itemIds.forEach((itemId, i) => {
        // Labelled while the scoring ran: a label, not a suggestion, is what it has now.
        if (labelled.get(itemId)?.label) return;
        write(itemId, scored.labels, scored.probabilities.subarray(i * k, (i + 1) * k));
        n++;
      });
      noteRefresh(project, source);
      return n;
    })
    .immediate();
}
