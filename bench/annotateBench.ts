/**
 * Annotate responsiveness at scale: a 200,000-item project (IMDB reviews with varied copies, plus
 * Chinese hotel reviews; synthetic texts when the data is missing), half labelled, measured in
 * the handler map as the window calls it: next / previous item, label + advance, undo, search.
 */
import { join } from 'node:path';
import { labelSetPresets } from '../src-main/common/labels';
import { storedText, textHash } from '../src-main/node/db/items';
import { Project } from '../src-main/node/db/project';
import { BatchInsert } from '../src-main/node/db/batchInsert';
import { createStudioService } from '../src-main/node/services';
import { call } from './timedCall';
import { tempDir } from '../test/helpers/tempProject';
import { loadJsonl, median } from './data';

/** As the annotate view asks (matchesCounted in components/annotate/session.svelte.ts). */
const matchesCounted = 10_000;

export interface Timing {
  medianMs: number;
  p95Ms: number;
  samples: number;
}

export interface AnnotateBenchResult {
  items: number;
  buildSeconds: number;
  /** Trigram indexing throughput of the background indexer's work, items per second. */
  indexItemsPerSecond: number;
  timings: Record<string, Timing>;
}

function texts(): { english: string[]; chinese: string[] } {
  try {
    return {
      english: loadJsonl('imdb_train.jsonl.gz').map((r) => r.text),
      chinese: loadJsonl('chnsenticorp_train.jsonl.gz').map((r) => r.text),
    };
  } catch {
    const words = ['good', 'bad', 'plot', 'acting', 'great', 'boring', 'film', 'scene', 'music', 'story', 'ending'];
    const zh = ['酒店', '干净', '服务', '房间', '不错', '早餐', '位置', '推荐'];
    const pick = (list: string[], i: number, n: number) => Array.from({ length: n }, (_, k) => list[(i * 7 + k * 13) % list.length]).join;
    return {
      english: Array.from({ length: 25_000 }, (_, i) => pick(words, i, 120)(' ')),
      chinese: Array.from({ length: 10_000 }, (_, i) => pick(zh, i, 30)('')),
    };
  }
}

export function build(path: string, total: number): void {
  const { english, chinese } = texts();
  const project = Project.create(path, { name: 'annotate bench', labels: [...labelSetPresets.binary] });
  const now = new Date().toISOString();
  const insert = new BatchInsert(project.db, 'INSERT INTO items(hash, text, created_at)', 3, 'ON CONFLICT(hash) DO NOTHING');
  project.db.transaction(() => {
    // One Chinese review in twenty, the rest IMDB reviews whose copies differ by a sentence.
    for (let i = 0; i < total; i++) {
      const source = i % 20 === 0 ? chinese[(i / 20) % chinese.length]! : english[i % english.length]!;
      const round = Math.floor(i / english.length);
      const text = storedText(round === 0 ? source : `${source} (Seen again, round ${round}.)`);
      insert.add(textHash(text), text, now);
    }
    insert.flush();
  })();
  // Half labelled, in runs, so "next unlabelled" has labelled items to walk past: bulk labels by a
  // person, as the list view gives them (imported labels come under import actions, importer.ts;
  // 'import' events under label actions were a project no path makes, and the summary's annotator
  // check walked all 100,000 of them on every label).
  const ids = project.db.prepare('SELECT id FROM items ORDER BY id').pluck().all() as number[];
  const labelled = ids.filter((id) => id % 1000 < 500);
  for (let i = 0; i < labelled.length; i += 50_000) project.setLabels(labelled.slice(i, i + 50_000), 'positive', 'bulk', 'bench');
  project.close();
}

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(2));
  return { medianMs: round(median(sorted)), p95Ms: round(sorted[Math.floor(0.95 * (sorted.length - 1))]!), samples: sorted.length };
}

export async function benchAnnotate(total = 200_000, steps = 200): Promise<AnnotateBenchResult> {
  const { dir, cleanup } = tempDir('sstudio-annotate-bench-');
  const service = createStudioService({ appVersion: 'bench', annotator: 'bench' });
  try {
    const path = join(dir, 'annotate.sstudio');
    const t0 = performance.now();
    build(path, total);
    const buildSeconds = (performance.now() - t0) / 1000;

    const indexing = Project.open(path);
    const i0 = performance.now();
    indexing.searchIndex.indexAll();
    const indexItemsPerSecond = total / ((performance.now() - i0) / 1000);
    indexing.close();

    await call(service, 'project:open', { path });
    const samples: Record<string, number[]> = {};
    const record = (name: string, ms: number) => (samples[name] ??= []).push(ms);

    // Start mid-project, where an analyst who labelled half of it continues.
    let current = (await call(service, 'items:list', { label: 'unlabelled', offset: 0, limit: 1, after: total / 2, withTotal: false })).value.items[0]!.id;
    for (let i = 0; i < steps; i++) {
      const next = await call(service, 'items:list', { label: 'unlabelled', after: current, limit: 1, withTotal: false });
      record('next unlabelled', next.ms);
      current = next.value.items[0]!.id;
    }
    for (let i = 0; i < steps; i++) {
      const previous = await call(service, 'items:list', { before: current, limit: 1, withTotal: false });
      record('previous', previous.ms);
      current = previous.value.items[0]!.id;
    }
    const actions: number[] = [];
    for (let i = 0; i < steps; i++) {
      const label = await call(service, 'labels:set', { itemIds: [current], label: i % 3 ? 'positive' : 'negative', origin: 'manual' });
      const next = await call(service, 'items:list', { label: 'unlabelled', after: current, limit: 1, withTotal: false });
      record('label + advance', label.ms + next.ms);
      actions.push(label.value.actionId);
      current = next.value.items[0]!.id;
    }
    for (const actionId of actions.reverse().slice(0, steps / 2)) record('undo', (await call(service, 'labels:undo', { actionId })).ms);

    const searches: [string, string, string | undefined][] = [
      ['search common word', 'great', undefined],
      ['search common word, unlabelled queue', 'great', 'unlabelled'],
      ['search rare word', 'sommelier', undefined],
      ['search phrase', '"waste of time"', undefined],
      ['search Chinese (3 characters)', '不推荐', undefined],
      ['search Chinese (2 characters)', '干净', undefined],
    ];
    for (const [name, search, label] of searches) {
      for (let i = 0; i < Math.max(10, steps / 10); i++) {
        // What the annotate view asks: the first match, then apart how many (counted up to 10,000, in slices).
        record(name, (await call(service, 'items:list', { search, label, limit: 1, withTotal: false })).ms);
        record(`${name}: count`, (await call(service, 'items:count', { search, label, maxTotal: matchesCounted + 1 })).ms);
      }
    }
    return {
      items: total,
      buildSeconds,
      indexItemsPerSecond,
      timings: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, timing(v)])),
    };
  } finally {
    await service.dispose();
    cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchAnnotate(Number(process.argv[2] ?? 200_000));
  console.log(JSON.stringify(result, null, 2));
}
