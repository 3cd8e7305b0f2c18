/**
 * The renderer's wrapper around window.studio: values come back unwrapped, failures as a
 * StudioCallError carrying the contract's code, and payloads leave as plain data.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StudioBridge } from '@common/contract';
import { call, StudioCallError, subscribe } from '../../../src-renderer/src/lib/studio';

function installBridge(bridge: Partial<StudioBridge> | undefined): void {
  vi.stubGlobal('window', { studio: bridge });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('renderer studio wrapper', () => {
  it('returns the value of a successful call', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: { closed: true } }));
    installBridge({ invoke } as never);
    await expect(call('project:close', {})).resolves.toEqual({ closed: true });
    expect(invoke).toHaveBeenCalledWith('project:close', {});
  });

  it('throws a StudioCallError with the code, message and line of a failure', async () => {
    installBridge({
      invoke: async () => ({ ok: false, error: { code: 'bad-file', message: 'line 3: unterminated quote', line: 3 } }),
    } as never);
    const error = await call('import:preview', { path: '/tmp/x.csv' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioCallError);
    expect(error).toMatchObject({ code: 'bad-file', line: 3, channel: 'import:preview', message: 'line 3: unterminated quote' });
  });

  it('sends a plain copy of the payload (reactive proxies cannot cross IPC)', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: null }));
    installBridge({ invoke } as never);
    const payload = new Proxy({ path: '/tmp/p.sstudio', readOnly: true }, {});
    await call('project:open', payload);
    const sent = (invoke.mock.calls[0] as unknown[])[1];
    expect(sent).toEqual({ path: '/tmp/p.sstudio', readOnly: true });
    expect(sent).not.toBe(payload);
  });

  it('explains a missing bridge instead of crashing on undefined', async () => {
    installBridge(undefined);
    await expect(call('app:info', {})).rejects.toThrow(/must run inside Sentiment Studio/);
    expect(subscribe('project:changed', () => {})).toBeTypeOf('function');
  });
});
