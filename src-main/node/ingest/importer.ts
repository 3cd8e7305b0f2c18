/**
 * An import is a reader (source.ts) + a mapper (columns and label values) + one transaction.
 * Either every row lands or none does: a bad line, a cancel or a crash leaves the project as it
 * was. The caller must keep other writers off the connection while the import awaits the file.
 */
import { lineError, StudioError } from '../../common/errors';
import {
  importOptionsSchema,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
} from '../../common/ingest';
import { compileLabelMapping, type LabelResolver } from '../../common/labelMapping';
import { parseSplit } from '../../common/splitAssignment';
import { suspendLabelCountTriggers } from '../db/labelCounts';
import { BatchInsert } from '../db/batchInsert';
import type { Project } from '../db/project';
import { storedText, textHash } from '../db/items';
import { shownValue } from './fields';
import { openRecordStream } from './source';

export interface ImportHooks {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Minimum milliseconds between progress reports (default 100). */
  progressIntervalMs?: number;
}

interface ColumnRole {
  column: string;
  role: string;
}

function mappedColumns(mapping: ReturnType<typeof importOptionsSchema.parse>['columns']): ColumnRole[] {
  const roles: [string | undefined, string][] = [
    [mapping.textColumn, 'text'],
    [mapping.labelColumn, 'label'],
    [mapping.idColumn, 'id'],
    [mapping.splitColumn, 'split'],
    ...mapping.metadataColumns.map((c): [string, string] => [c, 'metadata']),
  ];
  return roles.filter((r): r is [string, string] => r[0] !== undefined).map(([column, role]) => ({ column, role }));
}

function missingColumn({ column, role }: ColumnRole, columns: string[], where: string): StudioError {
  const list = columns.length ? columns.map((c) => `'${c}'`).join(', ') : 'none';
  return new StudioError('invalid-input', `the ${role} column '${column}' is not ${where}; its columns are ${list}`);
}

function resolverFor(project: Project, options: ReturnType<typeof importOptionsSchema.parse>): LabelResolver {
  try {
    return compileLabelMapping(options.labelMapping, project.meta.labels());
  } catch (error) {
    throw new StudioError('invalid-input', (error as Error).message);
  }
}

/**
 * New items of this import whose id an earlier item already has (in the project, or further up
 * the file) under a different text. Both are kept: ids are the analyst's reference, not ours,
 * and dropping either review would lose data; the count says the ids no longer tell them apart.
 */
function countReusedIds(db: Project['db'], importId: number): number {
  return db
    .prepare<[number], { n: number }>(
      `SELECT COUNT(*) AS n FROM items i WHERE i.import_id = ? AND i.external_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM items j WHERE j.external_id = i.external_id AND j.id < i.id)`,
    )
    .get(importId)!.n;
}

export async function importFile(project: Project, rawOptions: ImportOptions, hooks: ImportHooks = {}): Promise<ImportSummary> {
  if (project.readOnly) throw new StudioError('read-only', 'This project is open read-only; nothing can be imported.');
  const parsed = importOptionsSchema.safeParse(rawOptions);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StudioError('invalid-input', `import option ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const options = parsed.data;
  const resolve = resolverFor(project, options);
  const labelNames = project.meta.labels().map((l) => l.name).join(', ');
  const started = Date.now();
  const stream = await openRecordStream(options.path, { ...options.read, signal: hooks.signal });
  const { columns: mapping } = options;
  const summary: ImportSummary = {
    file: options.path,
    format: stream.source.format,
    encoding: stream.source.encoding,
    read: 0,
    imported: 0,
    duplicates: 0,
    skipped: 0,
    skippedEmpty: 0,
    skippedUnknownLabel: 0,
    labels: Object.fromEntries(project.meta.labels().map((l) => [l.name, 0])),
    labelValuesMapped: {},
    labelConflicts: 0,
    duplicateIds: 0,
    elapsedMs: 0,
  };
  const { db, items, labelEvents, splits } = project;
  const interval = hooks.progressIntervalMs ?? 100;
  let lastReport = 0;
  const report = () => {
    const elapsedMs = Date.now() - started;
    const bytesRead = stream.bytesRead();
    const total = stream.source.totalBytes;
    const etaMs = bytesRead > 0 && total > bytesRead ? Math.round((elapsedMs / bytesRead) * (total - bytesRead)) : bytesRead >= total ? 0 : null;
    hooks.onProgress?.({ rows: summary.read, bytesRead, totalBytes: total, elapsedMs, etaMs });
  };

  const roles = mappedColumns(mapping);
  // JSON columns are the keys of the first records only: a key may first appear later, so for
  // JSON the check waits until the end of the file.
  const seen = new Set(stream.columns);
  let unseen = roles.filter((r) => !seen.has(r.column));
  if (stream.columnsComplete) {
    const missing = unseen[0];
    if (missing) {
      await stream.close();
      throw missingColumn(missing, stream.columns, 'in the file');
    }
  }

  try {
    db.exec('BEGIN IMMEDIATE');
    const resumeLabelCounts = suspendLabelCountTriggers(db);
    const now = new Date().toISOString();
    const importId = Number(
      db
        .prepare('INSERT INTO imports(file, format, encoding, options, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(options.path, stream.source.format, stream.source.encoding, JSON.stringify(options), now).lastInsertRowid,
    );
    const actionId = labelEvents.createAction('import', options.annotator, { importId });
    const metadataColumns = mapping.metadataColumns;
    // A Map: raw values come from the file (think `__proto__`).
    const valuesMapped = new Map<string, { label: string | null; count: number }>();
    const events = new BatchInsert(db, 'INSERT INTO label_events(item_id, action_id, label, annotator, origin, created_at)', 6);
    // Labels given earlier in this file but still in the batch, so duplicates within the file see them.
    const labelledHere = new Map<number, string>();

    for await (const record of stream.records) {
      summary.read++;
      if (unseen.length > 0) {
        for (const key of Object.keys(record.fields)) seen.add(key);
        unseen = unseen.filter((r) => !seen.has(r.column));
      }
      if (summary.read % 1024 === 0) {
        if (hooks.signal?.aborted) throw new StudioError('cancelled', 'import cancelled');
        const t = Date.now();
        if (t - lastReport >= interval) {
          lastReport = t;
          report();
          // Records arrive through promise callbacks (microtasks), which never let the event loop
          // turn: without this, a 200,000-row import froze timers and IPC (the Cancel button
          // included) for seconds. A macrotask break per report costs nothing measurable.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      const text = storedText(record.fields[mapping.textColumn] ?? '');
      if (text === '') {
        summary.skippedEmpty++;
        continue;
      }
      let label: string | null = null;
      if (mapping.labelColumn !== undefined) {
        const raw = (record.fields[mapping.labelColumn] ?? '').trim();
        const resolved = resolve(raw);
        if (resolved === undefined) {
          if (options.unknownLabels === 'error') {
            const shown = shownValue(raw);
            throw lineError(
              record.line,
              `label '${shown}' is not one of ${labelNames}; map it (e.g. ${shown}=${project.meta.labels()[0]!.name}) or choose to import such rows unlabelled or skip them`,
            );
          }
          if (options.unknownLabels === 'skip') {
            summary.skippedUnknownLabel++;
            continue;
          }
        } else {
          label = resolved;
        }
        if (raw !== '') {
          const mapped = valuesMapped.get(raw);
          if (mapped) mapped.count++;
          else valuesMapped.set(raw, { label: resolved ?? null, count: 1 });
        }
      }
      let metadata: string | null = null;
      if (metadataColumns.length > 0) {
        const meta: Record<string, string> = {};
        for (const c of metadataColumns) meta[c] = record.fields[c] ?? '';
        metadata = JSON.stringify(meta);
      }
      const externalId = mapping.idColumn !== undefined ? (record.fields[mapping.idColumn] ?? '').trim() || null : null;
      const { id, created } = items.upsert({ text, hash: textHash(text), externalId, metadata, importId }, now);
      if (created) summary.imported++;
      else summary.duplicates++;
      if (label !== null) {
        const current = created ? null : (labelledHere.get(id) ?? labelEvents.currentLabel(id));
        if (current === null) {
          labelledHere.set(id, label);
          if (events.add(id, actionId, label, options.annotator, 'import', now)) labelledHere.clear();
          summary.labels[label] = (summary.labels[label] ?? 0) + 1;
        } else if (current !== label) {
          summary.labelConflicts++;
        }
      }
      if (options.split !== undefined) splits.setImported(id, options.split);
      else if (mapping.splitColumn !== undefined) {
        const raw = record.fields[mapping.splitColumn] ?? '';
        const split = parseSplit(raw);
        if (split === null && raw.trim() !== '') {
          throw lineError(record.line, `split '${shownValue(raw.trim())}' is not train, validation (val, dev) or test`);
        }
        if (split !== null) splits.setImported(id, split);
      }
    }
    if (hooks.signal?.aborted) throw new StudioError('cancelled', 'import cancelled');
    if (unseen[0]) throw missingColumn(unseen[0], [...seen], 'in any record');
    events.flush();
    summary.labelValuesMapped = Object.fromEntries(valuesMapped);
    summary.skipped = summary.skippedEmpty + summary.skippedUnknownLabel;
    if (mapping.idColumn !== undefined) summary.duplicateIds = countReusedIds(db, importId);
    summary.elapsedMs = Date.now() - started;
    // Split assignment balances against label_counts: bring them up to date first.
    resumeLabelCounts();
    splits.assignPending();
    db.prepare('UPDATE imports SET summary = ? WHERE id = ?').run(JSON.stringify(summary), importId);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    await stream.close();
  }
  report();
  return summary;
}
