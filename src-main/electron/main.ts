/**
 * The Electron main process: lifecycle, windows, the menu and the security settings. Kept thin on
 * purpose: everything the app does lives in the handler map (src-main/node/services), which
 * ipc.ts binds to each window; the menu, dialogs and shell helpers are their own tested modules.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, nativeTheme, session } from 'electron';
import type { AppCommand, AppView } from '../common/appSettings';
import { createAppStateStore } from '../node/appState';
import { electronFileDialogs } from './dialogs';
import { printHtmlToPdf } from './printPdf';
import { bindStudioIpc, type StudioIpc } from './ipc';
import { buildMenu } from './menu';
import { rendererUrlMatcher } from './renderer-url';
import { confirmInterrupt, projectPathFromArgv, sendCommand } from './shell';
import { shellLocale, shellStrings, type ShellStrings } from './shellStrings';
import { utilityTrainer } from './trainerProcess';
import { loadWindowState, rememberWindowState } from './window-state';

const appName = 'Sentiment Studio';
/** Set by `electron-vite dev`; absent when running the built app. */
const rendererDevUrl = process.env['ELECTRON_RENDERER_URL'];
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const preloadFile = join(import.meta.dirname, '../preload/index.cjs');
const isDev = !app.isPackaged;

const isRendererUrl = rendererUrlMatcher({ file: rendererFile, devServerUrl: rendererDevUrl });

/** The better-sqlite3 build for Electron's ABI that scripts/start.mjs prepares (see there). */
function sqliteNativeBinding(): string | undefined {
  const path = process.env['SENTIMENT_STUDIO_SQLITE_BINDING'];
  return path && existsSync(path) ? path : undefined;
}

/** resources/demo: at the repo root in development, an extra resource of a packaged app. */
function demoSource(): string {
  return app.isPackaged ? join(process.resourcesPath, 'demo') : join(app.getAppPath(), 'resources', 'demo');
}

function hardenWebContents(): void {
  // A page may only ever show our renderer. will-navigate alone misses subframes and server
  // redirects; the app has no external links, so new windows are refused outright.
  const stayOnRenderer = (event: { url: string; preventDefault(): void }): void => {
    if (!isRendererUrl(event.url)) event.preventDefault();
  };
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', stayOnRenderer);
    contents.on('will-frame-navigate', stayOnRenderer);
    contents.on('will-redirect', stayOnRenderer);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  // The studio needs no camera, notifications, geolocation, USB/HID/serial devices...: refuse
  // every permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}

function start(): void {
  app.setName(appName);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const appState = createAppStateStore(app.getPath('userData'));
  const windows = new Set<BrowserWindow>();
  const views = new WeakMap<BrowserWindow, AppView>();
  /** Commands for windows whose page has not loaded yet (a launch with a file, the last project). */
  const pending = new WeakMap<BrowserWindow, AppCommand[]>();
  let ipc: StudioIpc | null = null;
  let disposed = false;

  const strings = (): ShellStrings => shellStrings(shellLocale(appState.settings().language, app.getLocale()));
  const activeWindow = (): BrowserWindow | null => BrowserWindow.getFocusedWindow() ?? [...windows].at(-1) ?? null;

  function refreshMenu(): void {
    const focused = activeWindow();
    const state = {
      appName,
      platform: process.platform,
      isDev,
      strings: strings(),
      settings: appState.settings(),
      recent: appState.recent(),
      view: focused ? (views.get(focused) ?? 'start') : null,
    };
    Menu.setApplicationMenu(buildMenu(state, { send, newWindow: () => void openWindow(), about: () => app.showAboutPanel() }));
  }

  function send(command: AppCommand): void {
    const target = activeWindow() ?? openWindow();
    const queue = pending.get(target);
    if (queue) queue.push(command);
    else sendCommand(target.webContents, command);
  }

  function openWindow(initial: AppCommand[] = []): BrowserWindow {
    const state = loadWindowState();
    const window = new BrowserWindow({
      ...state.bounds,
      minWidth: 720,
      minHeight: 480,
      title: appName,
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#15181d' : '#f6f7f9',
      // Electron's defaults already say most of this; spelled out so a default that changes, or
      // an option added here later, is caught by test/unit/electron/main.test.ts.
      webPreferences: {
        preload: preloadFile,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        devTools: isDev,
      },
    });
    if (state.maximized) window.maximize();
    rememberWindowState(window);
    ipc!.attach(window);
    windows.add(window);
    pending.set(window, [...initial]);
    window.webContents.on('did-finish-load', () => {
      const queue = pending.get(window) ?? [];
      pending.delete(window);
      for (const command of queue) sendCommand(window.webContents, command);
    });
    window.on('close', (event) => {
      const activity = ipc?.serviceOf(window)?.activity ?? null;
      if (!confirmInterrupt(activity, strings(), (options) => dialog.showMessageBoxSync(window, options))) event.preventDefault();
    });
    window.on('focus', refreshMenu);
    window.once('closed', () => {
      windows.delete(window);
      refreshMenu();
    });
    window.once('ready-to-show', () => window.show());
    const loading = rendererDevUrl ? window.loadURL(rendererDevUrl) : window.loadFile(rendererFile);
    loading.catch((error: unknown) => console.error(`Sentiment Studio: the window could not load ${rendererDevUrl ?? rendererFile}:`, error));
    return window;
  }

  function focus(window: BrowserWindow): void {
    if (window.isMinimized()) window.restore();
    window.focus();
  }

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = projectPathFromArgv(argv, workingDirectory);
    const window = activeWindow();
    if (!window) {
      if (app.isReady()) openWindow(path ? [{ command: 'open-path', path }] : []);
      return;
    }
    focus(window);
    if (path) send({ command: 'open-path', path });
  });
  // macOS hands files opened from Finder over as events, also before the app is ready.
  let launchFile: string | null = null;
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (app.isReady() && activeWindow()) send({ command: 'open-path', path });
    else launchFile = path;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Closing a project flushes SQLite (WAL checkpoint): hold the quit until every service is gone.
  app.on('will-quit', (event) => {
    if (disposed || !ipc) return;
    event.preventDefault();
    void ipc.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    app.setAboutPanelOptions({
      applicationName: appName,
      applicationVersion: app.getVersion(),
      credits: 'Demo data: Large Movie Review Dataset (Maas et al., ACL 2011).',
    });
    const settings = appState.settings();
    nativeTheme.themeSource = settings.theme;
    hardenWebContents();
    const binding = sqliteNativeBinding();
    const dialogs = electronFileDialogs({ parent: activeWindow, strings, startFolder: app.getPath('documents') });
    ipc = bindStudioIpc({
      // The annotator defaults to the OS user name (the service decides).
      service: {
        appVersion: app.getVersion(),
        sqliteNativeBinding: binding,
        spawnTrainer: utilityTrainer(binding),
        dialogs,
        printPdf: printHtmlToPdf,
        userDataDir: app.getPath('userData'),
        demoSource: demoSource(),
      },
      isRendererUrl,
      onEvent(window, event, payload) {
        if (event === 'app:viewChanged') views.set(window, (payload as { view: AppView }).view);
        if (event === 'app:settingsChanged') nativeTheme.themeSource = appState.settings().theme;
        if (event === 'app:viewChanged' || event === 'app:settingsChanged' || event === 'app:recentChanged') refreshMenu();
      },
    });
    refreshMenu();

    const named = launchFile ?? projectPathFromArgv(process.argv.slice(1), process.cwd());
    const last = appState.recent()[0];
    const reopen = named ?? (settings.reopenLastProject && last?.exists ? last.path : null);
    openWindow(reopen ? [{ command: 'open-path', path: reopen }] : []);
    app.on('activate', () => {
      if (windows.size === 0) openWindow();
    });
  });
}

start();
