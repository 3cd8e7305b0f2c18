/**
 * Binds the handler map to Electron IPC: one StudioService per window, created when the window
 * opens and disposed when it closes. IPC is a trust boundary: a request is served only when it
 * comes from the main frame of a window we created, showing our renderer. Payload validation is
 * the service's job (it validates every channel's payload against the contract).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { eventNames, ipcEventChannel, ipcInvokeChannel, type EventMap, type EventName, type InvokeResult } from '@common/contract';
import { createStudioService, type StudioService } from '../node/services';

export type StudioServiceOptions = Parameters<typeof createStudioService>[0];

export interface StudioIpcOptions {
  service: StudioServiceOptions;
  /** Whether a frame URL is our renderer; requests from any other page are refused. */
  isRendererUrl(url: string): boolean;
  /** Sees every service event too (after the window has it): the shell rebuilds its menu on some. */
  onEvent?<E extends EventName>(window: BrowserWindow, event: E, payload: EventMap[E]): void;
}

export interface StudioIpc {
  /** Gives the window its own service and forwards the service's events to it. */
  attach(window: BrowserWindow): void;
  /** The window's service, for the shell to ask what work a close would interrupt. */
  serviceOf(window: BrowserWindow): StudioService | undefined;
  /** Unbinds the IPC handler and disposes every service (waits for those already closing). */
  dispose(): Promise<void>;
}

export function bindStudioIpc(options: StudioIpcOptions): StudioIpc {
  const services = new Map<number, StudioService>();
  const closing = new Set<Promise<void>>();
  // By window too: a closed window's webContents can no longer be asked for its id.
  const byWindow = new WeakMap<BrowserWindow, StudioService>();

  const refuse = (message: string): InvokeResult<never> => ({ ok: false, error: { code: 'invalid-request', message } });

  ipcMain.handle(ipcInvokeChannel, async (event: IpcMainInvokeEvent, channel: unknown, payload: unknown) => {
    const service = services.get(event.sender.id);
    if (!service || !isTrustedSender(event, options.isRendererUrl)) {
      return refuse('This request did not come from a Sentiment Studio window and was refused.');
    }
    if (typeof channel !== 'string') return refuse('A request needs a channel name.');
    return service.invoke(channel, payload);
  });

  function disposeLater(service: StudioService): void {
    const done = service
      .dispose()
      .catch((error: unknown) => console.error('Sentiment Studio: a project did not close cleanly:', error))
      .finally(() => closing.delete(done));
    closing.add(done);
  }

  return {
    attach(window) {
      const contents = window.webContents;
      const id = contents.id;
      const service = createStudioService(options.service);
      services.set(id, service);
      byWindow.set(window, service);
      const unsubscribers = eventNames.map((name) =>
        service.on(name, (payload) => {
          if (!contents.isDestroyed()) contents.send(ipcEventChannel, name, payload);
          options.onEvent?.(window, name, payload);
        }),
      );
      window.once('closed', () => {
        services.delete(id);
        byWindow.delete(window);
        for (const unsubscribe of unsubscribers) unsubscribe();
        disposeLater(service);
      });
    },
    serviceOf(window) {
      return byWindow.get(window);
    },
    async dispose() {
      ipcMain.removeHandler(ipcInvokeChannel);
      for (const service of services.values()) disposeLater(service);
      services.clear();
      await Promise.all([...closing]);
    },
  };
}

function isTrustedSender(event: IpcMainInvokeEvent, isRendererUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  // null when the frame navigated away or was destroyed while the request was in flight.
  if (!frame) return false;
  // No parent: the top frame of the sender, i.e. not an iframe the page embedded.
  return frame.parent === null && isRendererUrl(frame.url);
}
