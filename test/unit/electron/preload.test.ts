/**
 * The preload is the renderer's only door: only contract channels and events get through, and
 * `on` hands back a working unsubscribe. Electron itself is replaced by a fake (the binary is
 * not available here, and the preload only needs contextBridge and ipcRenderer).
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames, ipcEventChannel, ipcInvokeChannel, type StudioBridge } from '@common/contract';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  rendererListeners: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'from main' })),
  getPathForFile: vi.fn((file: File) => `/home/analyst/${file.name}`),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
      electron.rendererListeners.set(channel, listener),
  },
  webUtils: { getPathForFile: electron.getPathForFile },
}));

let studio: StudioBridge;
const sendEvent = (name: unknown, payload: unknown): void => electron.rendererListeners.get(ipcEventChannel)!({}, name, payload);

beforeAll(async () => {
  await import('../../../src-main/electron/preload');
  studio = electron.exposed.get('studio') as StudioBridge;
});

beforeEach(() => electron.invoke.mockClear());

describe('preload', () => {
  it('exposes window.studio with invoke, on and pathForFile only', () => {
    expect([...electron.exposed.keys()]).toEqual(['studio']);
    expect(Object.keys(studio).sort()).toEqual(['invoke', 'on', 'pathForFile']);
  });

  it('asks webUtils for the path of a dropped file', () => {
    const file = new File(['text,label'], 'reviews.csv');
    expect(studio.pathForFile!(file)).toBe('/home/analyst/reviews.csv');
    expect(electron.getPathForFile).toHaveBeenCalledWith(file);
  });

  it('sends contract channels over the one invoke channel', async () => {
    await expect(studio.invoke('project:open', { path: '/tmp/a.sstudio' })).resolves.toEqual({ ok: true, value: 'from main' });
    expect(electron.invoke).toHaveBeenCalledWith(ipcInvokeChannel, 'project:open', { path: '/tmp/a.sstudio' });
  });

  it('answers an unknown channel itself, without bothering the main process', async () => {
    const result = await studio.invoke('fs:readFile' as never, {} as never);
    expect(result).toEqual({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('fs:readFile') } });
    expect(electron.invoke).not.toHaveBeenCalled();
  });

  it('refuses names that only look like channels: prototype keys, other cases, non-strings', async () => {
    const hostile = { toString: vi.fn(() => 'app:info') };
    for (const channel of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'APP:INFO', 'app:info ', '', 42, null, hostile]) {
      const result = await studio.invoke(channel as never, {} as never);
      expect(result, String(typeof channel === 'string' ? channel : typeof channel)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    // The page's own toString never runs in the preload.
    expect(hostile.toString).not.toHaveBeenCalled();
    expect(electron.invoke).not.toHaveBeenCalled();
    for (const event of ['__proto__', 'constructor', hostile]) expect(() => studio.on(event as never, () => {})).toThrow(/not a Sentiment Studio event/);
    expect(hostile.toString).not.toHaveBeenCalled();
  });

  it('passes every contract channel and nothing else to the main process', async () => {
    for (const channel of channelNames) await studio.invoke(channel, {} as never);
    expect(electron.invoke.mock.calls.map((call) => [call[0], call[1]])).toEqual(channelNames.map((channel) => [ipcInvokeChannel, channel]));
  });

  it('delivers events to their listeners until they unsubscribe', () => {
    const changed = vi.fn();
    const progress = vi.fn();
    const unsubscribe = studio.on('project:changed', changed);
    studio.on('import:progress', progress);

    sendEvent('project:changed', { name: 'a' });
    sendEvent('import:progress', { rows: 1 });
    expect(changed).toHaveBeenCalledExactlyOnceWith({ name: 'a' });
    expect(progress).toHaveBeenCalledExactlyOnceWith({ rows: 1 });

    unsubscribe();
    sendEvent('project:changed', { name: 'b' });
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering when one listener throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    studio.on('project:changed', () => {
      throw new Error('boom');
    });
    studio.on('project:changed', after);
    sendEvent('project:changed', { name: 'c' });
    expect(after).toHaveBeenCalledWith({ name: 'c' });
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('refuses unknown events and non-function callbacks', () => {
    expect(() => studio.on('window:close' as never, () => {})).toThrow(/not a Sentiment Studio event/);
    expect(() => studio.on('project:changed', 'nope' as never)).toThrow(/callback/);
    expect(() => sendEvent(42, {})).not.toThrow();
  });
});
