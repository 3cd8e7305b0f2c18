/**
 * The main process's security settings, read off the real main.ts started against a fake
 * Electron (the binary is not available here): the window's webPreferences, navigation and new
 * windows refused for every web contents, every permission and device request denied, the window
 * showing the built renderer, and IPC bound. The fake records what main.ts asks of Electron.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcInvokeChannel } from '@common/contract';

type Listener = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  const listeners = (): Map<string, Listener[]> => new Map();
  const on = (map: Map<string, Listener[]>) => (event: string, listener: Listener) => void map.set(event, [...(map.get(event) ?? []), listener]);
  const state = {
    userData: '',
    app: listeners(),
    windows: [] as { options: Record<string, unknown>; loaded: string[]; contents: { listeners: Map<string, Listener[]> } }[],
    ipcHandlers: new Map<string, unknown>(),
    permissionRequest: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void),
    permissionCheck: null as null | ((...args: unknown[]) => boolean),
    devicePermission: null as null | ((details: unknown) => boolean),
    quit: vi.fn(),
    listeners,
    on,
  };
  return state;
});

vi.mock('electron', () => {
  let nextId = 1;
  class BrowserWindow {
    static getFocusedWindow = (): null => null;
    readonly webContents: Record<string, unknown>;
    private readonly own = fake.listeners();
    constructor(options: Record<string, unknown>) {
      const contents = { listeners: fake.listeners() };
      this.webContents = {
        id: nextId++,
        on: fake.on(contents.listeners),
        once: fake.on(contents.listeners),
        isDestroyed: () => false,
        send: () => {},
        setWindowOpenHandler: () => {},
      };
      const loaded: string[] = [];
      fake.windows.push({ options, loaded, contents });
      this.loadFile = async (file: string) => void loaded.push(file);
    }
    loadFile: (file: string) => Promise<void>;
    loadURL = async (): Promise<void> => {};
    on = (event: string, listener: Listener): void => fake.on(this.own)(event, listener);
    once = (event: string, listener: Listener): void => fake.on(this.own)(event, listener);
    maximize(): void {}
    show(): void {}
  }
  return {
    app: {
      isPackaged: false,
      setName: () => {},
      requestSingleInstanceLock: () => true,
      getPath: () => fake.userData,
      getAppPath: () => process.cwd(),
      getVersion: () => '0.0.0-test',
      getLocale: () => 'en-US',
      isReady: () => true,
      whenReady: () => Promise.resolve(),
      setAboutPanelOptions: () => {},
      showAboutPanel: () => {},
      on: fake.on(fake.app),
      quit: fake.quit,
    },
    BrowserWindow,
    dialog: { showMessageBoxSync: () => 0 },
    Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: () => {} },
    nativeTheme: { shouldUseDarkColors: false, themeSource: 'system' },
    screen: { getAllDisplays: () => [] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof fake.permissionRequest) => (fake.permissionRequest = handler),
        setPermissionCheckHandler: (handler: typeof fake.permissionCheck) => (fake.permissionCheck = handler),
        setDevicePermissionHandler: (handler: typeof fake.devicePermission) => (fake.devicePermission = handler),
      },
    },
    ipcMain: {
      handle: (channel: string, handler: unknown) => fake.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
    },
    utilityProcess: { fork: () => ({}) },
  };
});

const mainDir = join(import.meta.dirname, '../../../src-main/electron');
const rendererUrl = pathToFileURL(join(mainDir, '../renderer/index.html')).href;

/** The listeners main.ts registered on a fresh web contents, as Electron would call them. */
function hardenedContents() {
  const listeners = fake.listeners();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = { on: fake.on(listeners), setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler) };
  for (const created of fake.app.get('web-contents-created') ?? []) (created as (event: unknown, contents: unknown) => void)({}, contents);
  const navigate = (event: string, url: string): boolean => {
    let prevented = false;
    for (const listener of listeners.get(event) ?? []) (listener as (e: unknown) => void)({ url, preventDefault: () => (prevented = true) });
    return !prevented;
  };
  return { listeners, navigate, openWindow: (url: string) => openHandler?.({ url }) };
}

beforeAll(async () => {
  fake.userData = mkdtempSync(join(tmpdir(), 'sstudio-main-'));
  await import('../../../src-main/electron/main');
  // whenReady resolves on the next microtasks: the window is open once the first one exists.
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});

afterAll(async () => {
  // Quitting disposes the window's service (main.ts holds the quit until it has).
  const event = { preventDefault: vi.fn() };
  for (const listener of fake.app.get('will-quit') ?? []) (listener as (e: unknown) => void)(event);
  await vi.waitFor(() => expect(fake.quit).toHaveBeenCalled());
  rmSync(fake.userData, { recursive: true, force: true });
});

describe('main process hardening', () => {
  it('opens the window sandboxed, context-isolated and without Node', () => {
    const preferences = fake.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(preferences).toMatchObject({
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
    });
    expect(preferences['enableBlinkFeatures']).toBeUndefined();
    expect(preferences['preload']).toBe(join(mainDir, '../preload/index.cjs'));
    // Every option is one this test knows about: a new one gets looked at here first.
    expect(Object.keys(preferences).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'devTools',
        'experimentalFeatures',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'sandbox',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });

  it('loads the built renderer from disk and serves IPC only through the one checked channel', () => {
    expect(fake.windows[0]!.loaded).toEqual([join(mainDir, '../renderer/index.html')]);
    expect([...fake.ipcHandlers.keys()]).toEqual([ipcInvokeChannel]);
  });

  it('keeps every web contents on the renderer: navigation, frames and redirects elsewhere are refused', () => {
    const { navigate } = hardenedContents();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(navigate(event, `${rendererUrl}#/annotate`), event).toBe(true);
      for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', `${rendererUrl}/../other.html`]) {
        expect(navigate(event, url), `${event} ${url}`).toBe(false);
      }
    }
  });

  it('refuses new windows and embedded webviews', () => {
    const { openWindow, listeners } = hardenedContents();
    for (const url of ['https://example.com/', rendererUrl, 'about:blank']) expect(openWindow(url)).toEqual({ action: 'deny' });
    const event = { preventDefault: vi.fn() };
    for (const listener of listeners.get('will-attach-webview') ?? []) (listener as (e: unknown) => void)(event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission request and check, and every device', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'hid', 'serial', 'usb']) {
      const callback = vi.fn();
      fake.permissionRequest!({}, permission, callback, {});
      expect(callback, permission).toHaveBeenCalledExactlyOnceWith(false);
      expect(fake.permissionCheck!({}, permission, 'file:///', {})).toBe(false);
    }
    expect(fake.devicePermission!({ deviceType: 'usb', origin: 'file://' })).toBe(false);
  });
});
