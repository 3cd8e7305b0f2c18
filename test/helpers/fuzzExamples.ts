/**
 * One valid request per channel, with every optional field filled in, for the IPC fuzz test to
 * break one field at a time. Ids point at nothing in particular: a valid request is never sent
 * as-is, only its mutations. Paths sit under `pathRoot` of the test's folder, deep enough that a
 * hostile `../../../..` appended to one stays inside that folder.
 */
import { join } from 'node:path';
import type { Channel, RequestOf } from '../../src-main/common/contract';
import { labelSetPresets } from '../../src-main/common/labels';
import type { FieldRules } from './hostilePayloads';

export const pathRoot = (dir: string): string => join(dir, 'paths', 'a', 'b', 'c', 'd', 'e');

/** Fields that name a file or folder. */
export const isPathField = (path: readonly (string | number)[]): boolean => /^(path|input|output|bundle|fromBundle)$/.test(String(path.at(-1)));

/** Channels whose valid requests start a training-type process (not sent in the valid-shaped pass). */
export const spawnsProcess: ReadonlySet<Channel> = new Set([
  'assist:refresh',
  'train:start',
  'studies:start',
  'studies:resume',
  'runs:explain',
  'predict:run',
  'prelabels:refresh',
]);

type Examples = { [C in Channel]: { payload: RequestOf<C>; rules?: FieldRules } };

export function fuzzExamples(dir: string): Examples {
  const file = (name: string): string => join(pathRoot(dir), name);
  return {
    'app:info': { payload: {} },
    'app:recent': { payload: {} },
    'app:forgetRecent': { payload: { path: file('old.sstudio') } },
    'app:settings': { payload: {} },
    'app:setSettings': { payload: { language: 'en', theme: 'dark', reopenLastProject: false } },
    'app:setView': { payload: { view: 'annotate' } },
    'dialog:open': { payload: { purpose: 'import' } },
    'dialog:save': { payload: { purpose: 'export-data', defaultName: 'labels.csv' } },
    'project:create': { payload: { path: file('new.sstudio'), name: 'New', labels: [...labelSetPresets.binary] } },
    'project:open': { payload: { path: file('other.sstudio'), readOnly: true } },
    'project:close': { payload: {} },
    'project:openDemo': { payload: {} },
    'project:summary': { payload: {} },
    'import:preview': { payload: { path: file('reviews.csv'), read: { format: 'csv', encoding: 'utf-8', delimiter: ',', hasHeader: true }, sampleRows: 10 } },
    'import:run': {
      payload: {
        path: file('reviews.csv'),
        read: { format: 'csv', hasHeader: true },
        columns: { textColumn: 'text', labelColumn: 'stars', idColumn: 'id', splitColumn: 'split', metadataColumns: ['airline'] },
        labelMapping: { values: { pos: 'positive', meh: null }, stars: { negativeMax: 2.5, positiveMin: 3.5 } },
        unknownLabels: 'skip',
        annotator: 'fuzz',
        split: 'test',
      },
      rules: { free: ['labelMapping.values'] },
    },
    'import:cancel': { payload: {} },
    'items:list': {
      payload: { label: 'positive', split: 'train', search: 'good', offset: 0, limit: 10, after: 1, withTotal: true, maxTotal: 100 },
    },
    'items:count': { payload: { label: 'unlabelled', search: 'good', maxTotal: 10_001, slot: 'card' } },
    'items:ids': { payload: { label: 'positive', split: 'train', search: 'good' } },
    'labels:set': { payload: { itemIds: [1, 2], label: 'positive', origin: 'manual', annotator: 'fuzz' }, rules: { nullable: ['label'] } },
    'labels:undo': { payload: { actionId: 1 } },
    'labels:history': { payload: { itemId: 1 } },
    'labels:confirm': { payload: { itemIds: [1], annotator: 'fuzz' } },
    'items:useful': { payload: { limit: 5, exclude: [1] } },
    'prelabels:refresh': { payload: { runId: 1 } },
    'assist:status': { payload: {} },
    'assist:configure': { payload: { auto: false, every: 50, autoAcceptAbove: 0.9 }, rules: { nullable: ['autoAcceptAbove'] } },
    'assist:refresh': { payload: {} },
    'labels:suspects': { payload: { runId: 1, hideReviewed: false, offset: 0, limit: 10 } },
    'data:export': { payload: { path: file('labels.csv'), format: 'csv', history: false, overwrite: false } },
    'train:start': {
      payload: {
        model: 'recurrent',
        preset: 'fast',
        overrides: { epochs: 1 },
        fromRunId: 1,
        fromBundle: file('bundle'),
        baseline: false,
        folds: 3,
        foldModel: 'baseline',
      },
      rules: { free: ['overrides'] },
    },
    'train:cancel': { payload: {} },
    'train:dataProfile': { payload: {} },
    'train:status': { payload: {} },
    'runs:list': { payload: {} },
    'runs:epochs': { payload: { runIds: [1, 2] } },
    'runs:setCurrent': { payload: { runId: 1 }, rules: { nullable: ['runId'] } },
    'runs:delete': { payload: { runId: 1 } },
    'runs:export': { payload: { runId: 1, path: file('bundle'), overwrite: false, zip: false } },
    'runs:evaluation': { payload: { runId: 1 } },
    'runs:report': { payload: { runId: 1, path: file('report.html'), format: 'html', overwrite: false, locale: 'en' } },
    'runs:explain': { payload: { runId: 1, itemId: 1, text: 'a good film', target: 'positive' } },
    'runs:predictions': {
      payload: {
        runId: 1,
        truth: 'positive',
        predicted: 'negative',
        outcome: 'wrong',
        search: 'film',
        minTokens: 1,
        maxTokens: 100,
        sort: 'confidence-desc',
        offset: 0,
        limit: 10,
      },
    },
    'runs:slices': { payload: { runId: 1 } },
    'predict:run': {
      payload: {
        model: { runId: 1 },
        input: file('in.csv'),
        read: { format: 'csv' },
        textColumn: 'text',
        output: file('out.csv'),
        addToProject: false,
        format: 'csv',
        overwrite: false,
        previewRows: 5,
      },
    },
    'predict:cancel': { payload: {} },
    'bundle:inspect': { payload: { path: file('bundle') } },
    'studies:list': { payload: {} },
    'studies:start': {
      payload: { kind: 'search', preset: 'fast', overrides: {}, strategy: 'random', dimensions: [{ field: 'units', values: [8, 16] }], budget: 2, seed: 1 },
      // A dimension's values are numbers, strings or booleans.
      rules: { free: ['overrides', 'dimensions.0.values'] },
    },
    'studies:resume': { payload: { studyId: 1 } },
    'studies:delete': { payload: { studyId: 1, deleteRuns: false } },
  };
}
