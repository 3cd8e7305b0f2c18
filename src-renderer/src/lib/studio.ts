/**
 * The renderer's only door to the app: `window.studio` (exposed by the preload in Electron, by a
 * shim in the e2e tests). `call` unwraps the InvokeResult so screens can `await` values and
 * catch a StudioCallError that carries the contract's error code and human message.
 */
import type { Channel, EventMap, EventName, RequestOf, ResponseOf, StudioBridge } from '@common/contract';
import type { ErrorCode, StudioErrorData } from '@common/errors';

declare global {
  interface Window {
    studio?: StudioBridge;
  }
}

export class StudioCallError extends Error {
  readonly code: ErrorCode;
  readonly line?: number;
  readonly channel: Channel;

  constructor(channel: Channel, data: StudioErrorData) {
    super(data.message);
    this.name = 'StudioCallError';
    this.channel = channel;
    this.code = data.code;
    if (data.line !== undefined) this.line = data.line;
  }
}

function bridge(channel: Channel): StudioBridge {
  const studio = window.studio;
  if (!studio) {
    throw new StudioCallError(channel, {
      code: 'internal',
      message: 'The app bridge is missing: this page must run inside Sentiment Studio.',
    });
  }
  return studio;
}

export async function call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await bridge(channel).invoke(channel, plainData(payload));
  if (result.ok) return result.value;
  throw new StudioCallError(channel, result.error);
}

/**
 * Payloads cross a structured-clone boundary (contextBridge, IPC), which cannot clone the proxies
 * Svelte puts around `$state` objects. Contract payloads are JSON data, so a JSON copy is exact.
 */
function plainData<T>(payload: T): T {
  return payload === undefined ? payload : (JSON.parse(JSON.stringify(payload)) as T);
}

/** Listens to a studio event; returns the unsubscribe (hand it back from an `$effect`). */
export function subscribe<E extends EventName>(event: E, callback: (payload: EventMap[E]) => void): () => void {
  return window.studio ? window.studio.on(event, callback) : () => {};
}

/** A message for any error a call can end with, for showing on screen. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
