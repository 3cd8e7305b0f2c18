/**
 * Exposes `window.studio` (the StudioBridge of the contract) to the sandboxed renderer. Only
 * channel and event names the contract declares get through; the main process validates the
 * payloads. Built into one CommonJS file: a sandboxed preload may only require 'electron'.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
// Names only: the schemas (and zod) stay in the main process, which validates every payload.
import { channelNames, eventNames, ipcEventChannel, ipcInvokeChannel, type EventName } from '@common/channels';
import type { EventMap, InvokeResult, StudioBridge } from '@common/contract';

const knownChannels = new Set<string>(channelNames);
const knownEvents = new Set<string>(eventNames);
const listeners = new Map<string, Set<(payload: never) => void>>();

/** A name for a message. Not String(value): a page's object would run its own toString here. */
const quoted = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : `A ${typeof value}`);

// One IPC listener for all events; callbacks are kept here so an unsubscribe removes exactly one.
ipcRenderer.on(ipcEventChannel, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const callback of listeners.get(name) ?? []) {
    try {
      callback(payload as never);
    } catch (error) {
      console.error(`A '${name}' listener failed:`, error);
    }
  }
});

const studio: StudioBridge = {
  invoke(channel, payload) {
    if (!knownChannels.has(channel)) {
      const result: InvokeResult<never> = {
        ok: false,
        error: { code: 'invalid-request', message: `${quoted(channel)} is not a Sentiment Studio channel.` },
      };
      return Promise.resolve(result);
    }
    return ipcRenderer.invoke(ipcInvokeChannel, channel, payload);
  },
  on<E extends EventName>(event: E, callback: (payload: EventMap[E]) => void) {
    if (!knownEvents.has(event)) throw new TypeError(`${quoted(event)} is not a Sentiment Studio event.`);
    if (typeof callback !== 'function') throw new TypeError('studio.on needs a callback function.');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const registered = callback as (payload: never) => void;
    set.add(registered);
    return () => {
      set.delete(registered);
    };
  },
  // File.path is gone (Electron 32+). webUtils is the documented replacement and only exists on
  // this side of the bridge; it throws on anything that is not a File.
  pathForFile(file) {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('studio', studio);
