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
  const upsert = project.db.prepare(
    `INSERT INTO prelabels(item_id, label, confidence, probabilities, source, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(item_id) DO UPDATE SET label = excluded.label, confidence = excluded.confidence,
       probabilities = excluded.probabilities, source = excluded.source, created_at = excluded.created_at`,
  );
  const now = new Date().toISOString();
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
        const probabilities = Float32Array.from(row.probabilities);
        upsert.run(item.id, row.label, Math.max(...row.probabilities), Buffer.from(probabilities.buffer), source, now);
        prelabelled++;
      }
      return { imported: imported.imported, duplicates: imported.duplicates, prelabelled, alreadyLabelled };
    })
    .immediate();
}
