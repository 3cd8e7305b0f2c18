/**
 * The native application menu, built from plain state so it can be rebuilt whenever that state
 * changes (recent projects, language, theme, the screen the window shows) and tested without
 * Electron. Items that act on the project send an AppCommand to the window, which carries it out
 * with the same code its own buttons use.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppCommand, AppSettings, AppView, LanguageChoice, RecentProject, ThemeChoice } from '../common/appSettings';
import type { ShellStrings } from './shellStrings';

export interface MenuState {
  appName: string;
  platform: NodeJS.Platform;
  isDev: boolean;
  strings: ShellStrings;
  settings: AppSettings;
  recent: RecentProject[];
  /** The screen of the focused window; null without a window. */
  view: AppView | null;
}

export interface MenuActions {
  /** Sends a command to the focused window (opening one first if there is none). */
  send(command: AppCommand): void;
  newWindow(): void;
  about(): void;
}

type Item = MenuItemConstructorOptions;

const languageNames: Record<Exclude<LanguageChoice, 'auto'>, string> = { en: 'English', 'zh-CN': '简体中文' };

function fileMenu(state: MenuState, actions: MenuActions): Item {
  const s = state.strings;
  const recent: Item[] =
    state.recent.length === 0
      ? [{ label: s.noRecent, enabled: false }]
      : state.recent.map((r) => ({
          label: r.exists ? r.name : `${r.name} ${s.missing}`,
          sublabel: r.path,
          enabled: r.exists,
          click: () => actions.send({ command: 'open-path', path: r.path }),
        }));
  const quit: Item[] = state.platform === 'darwin' ? [] : [{ type: 'separator' }, { role: 'quit', label: s.quit }];
  return {
    label: s.file,
    submenu: [
      { label: s.newProject, accelerator: 'CmdOrCtrl+N', click: () => actions.send({ command: 'new-project' }) },
      { label: s.open, accelerator: 'CmdOrCtrl+O', click: () => actions.send({ command: 'open-project' }) },
      { label: s.openRecent, submenu: recent },
      { label: s.openDemo, click: () => actions.send({ command: 'open-demo' }) },
      { label: s.newWindow, accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWindow() },
      { type: 'separator' },
      { label: s.import, accelerator: 'CmdOrCtrl+I', click: () => actions.send({ command: 'import' }) },
      { label: s.export, accelerator: 'CmdOrCtrl+E', click: () => actions.send({ command: 'export' }) },
      { type: 'separator' },
      { label: s.closeProject, click: () => actions.send({ command: 'close-project' }) },
      ...quit,
    ],
  };
}

function editMenu(state: MenuState, actions: MenuActions): Item {
  const s = state.strings;
  // Where labels are set (annotate, and the evaluate view's error list) Ctrl+Z undoes the last
  // label (the window still undoes typing when a text field has the focus); elsewhere it is the
  // ordinary text undo.
  const undo: Item =
    state.view === 'annotate' || state.view === 'evaluate'
      ? { label: s.undoLabel, accelerator: 'CmdOrCtrl+Z', click: () => actions.send({ command: 'undo' }) }
      : { role: 'undo', label: s.undo };
  return {
    label: s.edit,
    submenu: [
      undo,
      { role: 'redo', label: s.redo },
      { type: 'separator' },
      { role: 'cut', label: s.cut },
      { role: 'copy', label: s.copy },
      { role: 'paste', label: s.paste },
      { role: 'selectAll', label: s.selectAll },
    ],
  };
}

function viewMenu(state: MenuState, actions: MenuActions): Item {
  const s = state.strings;
  const themes: [ThemeChoice, string][] = [
    ['system', s.themeSystem],
    ['light', s.themeLight],
    ['dark', s.themeDark],
  ];
  const languages: [LanguageChoice, string][] = [['auto', s.languageSystem], ...Object.entries(languageNames)] as [LanguageChoice, string][];
  const dev: Item[] = state.isDev ? [{ role: 'forceReload', label: s.forceReload }, { role: 'toggleDevTools', label: s.devTools }] : [];
  return {
    label: s.view,
    submenu: [
      { role: 'reload', label: s.reload },
      ...dev,
      { type: 'separator' },
      { role: 'resetZoom', label: s.actualSize },
      { role: 'zoomIn', label: s.zoomIn },
      { role: 'zoomOut', label: s.zoomOut },
      { type: 'separator' },
      {
        label: s.theme,
        submenu: themes.map(([theme, label]) => ({
          label,
          type: 'radio',
          checked: state.settings.theme === theme,
          click: () => actions.send({ command: 'set-theme', theme }),
        })),
      },
      {
        label: s.language,
        submenu: languages.map(([language, label]) => ({
          label,
          type: 'radio',
          checked: state.settings.language === language,
          click: () => actions.send({ command: 'set-language', language }),
        })),
      },
      { type: 'separator' },
      { role: 'togglefullscreen', label: s.fullScreen },
    ],
  };
}

function helpMenu(state: MenuState, actions: MenuActions): Item {
  const s = state.strings;
  return {
    role: 'help',
    label: s.help,
    submenu: [
      { label: s.shortcuts, accelerator: 'CmdOrCtrl+/', click: () => actions.send({ command: 'show-shortcuts' }) },
      { label: s.credits, click: () => actions.send({ command: 'show-credits' }) },
      { type: 'separator' },
      { label: s.about.replace('{app}', state.appName), click: () => actions.about() },
    ],
  };
}

export function menuTemplate(state: MenuState, actions: MenuActions): Item[] {
  const macApp: Item[] =
    state.platform === 'darwin'
      ? [
          {
            label: state.appName,
            submenu: [
              { label: state.strings.about.replace('{app}', state.appName), click: () => actions.about() },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit', label: state.strings.quit },
            ],
          },
        ]
      : [];
  return [...macApp, fileMenu(state, actions), editMenu(state, actions), viewMenu(state, actions), helpMenu(state, actions)];
}

export function buildMenu(state: MenuState, actions: MenuActions): Menu {
  return Menu.buildFromTemplate(menuTemplate(state, actions));
}
