/**
 * IPC is a trust boundary: requests are served only for the main frame of a window we attached,
 * showing our renderer; each window has its own service, disposed when the window closes; service
 * events reach the window. Electron and the handler map are fakes here.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcEventChannel, ipcInvokeChannel } from '@common/contract';
import { bindStudioIpc, type StudioIpc } from '../../../src-main/electron/ipc';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

const fakes = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  services: [] as {
    invoke: ReturnType<typeof vi.fn>;
    dispose: ReturnType<typeof vi.fn>;
    listeners: Map<string, (payload: unknown) => void>;
  }[],
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => fakes.handlers.set(channel, handler),
    removeHandler: (channel: string) => fakes.handlers.delete(channel),
  },
}));

vi.mock('../../../src-main/node/services', () => ({
  createStudioService: () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const service = {
      invoke: vi.fn(async (channel: string) => ({ ok: true, value: `served ${channel}` })),
      dispose: vi.fn(async () => {}),
      listeners,
      on: (event: string, callback: (payload: unknown) => void) => {
        listeners.set(event, callback);
        return () => listeners.delete(event);
      },
    };
    fakes.services.push(service);
    return service;
  },
}));

const rendererUrl = 'file:///app/out/renderer/index.html';

function fakeWindow(id: number) {
  const closed: (() => void)[] = [];
  const webContents = { id, isDestroyed: () => false, send: vi.fn() };
  return {
    webContents,
    once: (event: string, callback: () => void) => event === 'closed' && closed.push(callback),
    close: () => closed.forEach((callback) => callback()),
  };
}

function request(senderId: number, frame: { parent: unknown; url: string } | null, channel: unknown = 'app:info') {
  const handler = fakes.handlers.get(ipcInvokeChannel)!;
  return handler({ sender: { id: senderId }, senderFrame: frame }, channel, {});
}

const mainFrame = { parent: null, url: `${rendererUrl}#/summary` };
const refused = { ok: false, error: { code: 'invalid-request', message: expect.stringContaining('refused') } };

let ipc: StudioIpc;
beforeEach(() => {
  fakes.handlers.clear();
  fakes.services.length = 0;
  ipc = bindStudioIpc({
    service: { appVersion: '1.0.0' },
    isRendererUrl: (url) => url.split('#')[0] === rendererUrl,
  });
});

describe('studio IPC', () => {
  it("serves our renderer's main frame through that window's own service", async () => {
    const first = fakeWindow(1);
    const second = fakeWindow(2);
    ipc.attach(first as never);
    ipc.attach(second as never);
    await expect(request(2, mainFrame, 'project:summary')).resolves.toEqual({ ok: true, value: 'served project:summary' });
    expect(fakes.services[1]!.invoke).toHaveBeenCalledWith('project:summary', {});
    expect(fakes.services[0]!.invoke).not.toHaveBeenCalled();
  });

  it('refuses iframes, other pages, vanished frames and windows it did not create', async () => {
    ipc.attach(fakeWindow(1) as never);
    await expect(request(1, { parent: {}, url: rendererUrl })).resolves.toEqual(refused);
    await expect(request(1, { parent: null, url: 'https://example.com/' })).resolves.toEqual(refused);
    await expect(request(1, null)).resolves.toEqual(refused);
    await expect(request(7, mainFrame)).resolves.toEqual(refused);
    expect(fakes.services[0]!.invoke).not.toHaveBeenCalled();
  });

  it('refuses a request without a channel name', async () => {
    ipc.attach(fakeWindow(1) as never);
    await expect(request(1, mainFrame, 42)).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it("forwards the service's events to its window", () => {
    const window = fakeWindow(1);
    ipc.attach(window as never);
    fakes.services[0]!.listeners.get('project:changed')!({ name: 'p' });
    expect(window.webContents.send).toHaveBeenCalledWith(ipcEventChannel, 'project:changed', { name: 'p' });
  });

  it('lets the shell see service events and find a window\'s service', () => {
    const seen: unknown[] = [];
    fakes.handlers.clear();
    const withShell = bindStudioIpc({
      service: { appVersion: '1.0.0' },
      isRendererUrl: () => true,
      onEvent: (window, event, payload) => seen.push([window, event, payload]),
    });
    const window = fakeWindow(1);
    withShell.attach(window as never);
    fakes.services[0]!.listeners.get('app:viewChanged')!({ view: 'annotate' });
    expect(seen).toEqual([[window, 'app:viewChanged', { view: 'annotate' }]]);
    expect(withShell.serviceOf(window as never)).toBe(fakes.services[0]);
    window.close();
    expect(withShell.serviceOf(window as never)).toBeUndefined();
  });

  it('disposes the service when its window closes, and refuses that window afterwards', async () => {
    const window = fakeWindow(1);
    ipc.attach(window as never);
    window.close();
    expect(fakes.services[0]!.dispose).toHaveBeenCalledOnce();
    expect(fakes.services[0]!.listeners.size).toBe(0);
    await expect(request(1, mainFrame)).resolves.toEqual(refused);
  });

  it('disposes every service and unbinds on dispose', async () => {
    ipc.attach(fakeWindow(1) as never);
    ipc.attach(fakeWindow(2) as never);
    await ipc.dispose();
    expect(fakes.services.map((s) => s.dispose.mock.calls.length)).toEqual([1, 1]);
    expect(fakes.handlers.has(ipcInvokeChannel)).toBe(false);
  });
});
