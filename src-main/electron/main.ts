/**
 * The Electron main process: lifecycle, the window, the menu and the security settings. Kept
 * thin on purpose: everything the app does lives in the handler map (src-main/node/services),
 * which ipc.ts binds to the window.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, Menu, session, type MenuItemConstructorOptions } from 'electron';
import { bindStudioIpc, type StudioIpc } from './ipc';
import { utilityTrainer } from './trainerProcess';
import { rendererUrlMatcher } from './renderer-url';
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

function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isRendererUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  // The studio needs no camera, notifications, geolocation...: refuse every permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function createWindow(ipc: StudioIpc): BrowserWindow {
  const state = loadWindowState();
  const window = new BrowserWindow({
    ...state.bounds,
    minWidth: 720,
    minHeight: 480,
    title: appName,
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: isDev,
    },
  });
  if (state.maximized) window.maximize();
  rememberWindowState(window);
  ipc.attach(window);
  window.once('ready-to-show', () => window.show());
  const loading = rendererDevUrl ? window.loadURL(rendererDevUrl) : window.loadFile(rendererFile);
  loading.catch((error: unknown) => console.error(`Sentiment Studio: the window could not load ${rendererDevUrl ?? rendererFile}:`, error));
  return window;
}

function buildMenu(): Menu {
  const view: MenuItemConstructorOptions[] = [
    ...(isDev
      ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
      : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return Menu.buildFromTemplate([
    { label: 'File', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'help', submenu: [{ label: `About ${appName}`, click: () => app.showAboutPanel() }] },
  ]);
}

function start(): void {
  app.setName(appName);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let window: BrowserWindow | null = null;
  let ipc: StudioIpc | null = null;
  let disposed = false;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
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
    app.setAboutPanelOptions({ applicationName: appName, applicationVersion: app.getVersion() });
    Menu.setApplicationMenu(buildMenu());
    hardenWebContents();
    // The annotator defaults to the OS user name (the service decides).
    const binding = sqliteNativeBinding();
    const service = { appVersion: app.getVersion(), sqliteNativeBinding: binding, spawnTrainer: utilityTrainer(binding) };
    ipc = bindStudioIpc({ service, isRendererUrl });
    const open = (): void => {
      window = createWindow(ipc!);
      window.on('closed', () => (window = null));
    };
    open();
    app.on('activate', () => {
      if (!window) open();
    });
  });
}

start();
