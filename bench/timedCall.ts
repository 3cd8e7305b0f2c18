/** A request through the handler map, as the screens send it, timed; a refused one stops the bench. */
import type { Channel, RequestOf, ResponseOf } from '../src-main/common/contract';
import type { StudioService } from '../src-main/node/services';

export async function call<C extends Channel>(service: StudioService, channel: C, payload: RequestOf<C>): Promise<{ value: ResponseOf<C>; ms: number }> {
  const t0 = performance.now();
  const result = await service.invoke(channel, payload);
  const ms = performance.now() - t0;
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return { value: result.value, ms };
}
