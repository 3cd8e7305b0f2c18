/**
 * The service's FileDialogs with Electron's native dialogs: each purpose has its own title,
 * filters and remembered folder (the folder of the last file chosen for that purpose, for this
 * run), and the dialog is modal to the window that asked.
 */
import { basename, dirname, join } from 'node:path';
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { DialogPurpose } from '../common/contract';
import type { FileDialogs } from '../node/services';
import type { ShellStrings } from './shellStrings';

type Filter = { name: string; extensions: string[] };

export interface DialogSpec {
  title: string;
  filters: Filter[];
  /** Open dialogs: pick a folder instead of a file. */
  folder: boolean;
}

export function dialogSpec(purpose: DialogPurpose, s: ShellStrings): DialogSpec {
  const all: Filter = { name: s.filterAll, extensions: ['*'] };
  switch (purpose) {
    case 'project':
      return { title: s.dialogProject, filters: [{ name: s.filterProjects, extensions: ['sstudio'] }, all], folder: false };
    case 'import':
      return {
        title: s.dialogImport,
        filters: [{ name: s.filterData, extensions: ['csv', 'tsv', 'txt', 'json', 'jsonl', 'ndjson', 'xlsx', 'gz'] }, all],
        folder: false,
      };
    case 'bundle':
      return { title: s.dialogBundle, filters: [], folder: true };
    case 'export-data':
      return {
        title: s.dialogExportData,
        filters: [
          { name: s.filterCsv, extensions: ['csv'] },
          { name: s.filterJsonl, extensions: ['jsonl'] },
          { name: s.filterXlsx, extensions: ['xlsx'] },
        ],
        folder: false,
      };
    case 'export-model':
      return { title: s.dialogExportModel, filters: [], folder: false };
    case 'report':
      return {
        title: s.dialogReport,
        filters: [
          { name: s.filterHtml, extensions: ['html'] },
          { name: s.filterPdf, extensions: ['pdf'] },
        ],
        folder: false,
      };
    case 'predictions':
      return {
        title: s.dialogPredictions,
        filters: [
          { name: s.filterCsv, extensions: ['csv'] },
          { name: s.filterJsonl, extensions: ['jsonl'] },
          { name: s.filterXlsx, extensions: ['xlsx'] },
        ],
        folder: false,
      };
  }
}

export interface ElectronDialogsOptions {
  /** The window the dialog belongs to (modal to it); null shows an unparented dialog. */
  parent(): BrowserWindow | null;
  strings(): ShellStrings;
  /** Where a purpose's first dialog of the run starts (e.g. the Documents folder). */
  startFolder: string;
}

export function electronFileDialogs(options: ElectronDialogsOptions): FileDialogs {
  const lastFolder = new Map<DialogPurpose, string>();
  // A chosen folder (a model bundle) is remembered by its parent, where its siblings are.
  const remember = (purpose: DialogPurpose, path: string): string => {
    lastFolder.set(purpose, dirname(path));
    return path;
  };

  return {
    async open(purpose) {
      const spec = dialogSpec(purpose, options.strings());
      const settings: OpenDialogOptions = {
        title: spec.title,
        defaultPath: lastFolder.get(purpose) ?? options.startFolder,
        filters: spec.filters,
        properties: spec.folder ? ['openDirectory'] : ['openFile'],
      };
      const parent = options.parent();
      const result = parent ? await dialog.showOpenDialog(parent, settings) : await dialog.showOpenDialog(settings);
      const path = result.canceled ? undefined : result.filePaths[0];
      return path ? remember(purpose, path) : null;
    },
    async save(purpose, defaultName) {
      const spec = dialogSpec(purpose, options.strings());
      const folder = lastFolder.get(purpose) ?? options.startFolder;
      const settings: SaveDialogOptions = {
        title: spec.title,
        defaultPath: defaultName ? join(folder, basename(defaultName)) : folder,
        filters: spec.filters,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const parent = options.parent();
      const result = parent ? await dialog.showSaveDialog(parent, settings) : await dialog.showSaveDialog(settings);
      return !result.canceled && result.filePath ? remember(purpose, result.filePath) : null;
    },
  };
}
