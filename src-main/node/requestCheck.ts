/**
 * The handler map's gate: a request is dispatched only when its channel exists and its payload
 * parses with the channel's schema. Everything else is answered with a typed `invalid-request`
 * error that names the channel and the field, never thrown.
 */
import { channelNames, type Channel } from '../common/channels';
import { requestSchemas, type ParsedRequestOf } from '../common/contract';
import type { StudioErrorData } from '../common/errors';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
  return typeof value;
}

export type CheckedRequest<C extends Channel> = { ok: true; channel: C; request: ParsedRequestOf<C> } | { ok: false; error: StudioErrorData };

export function checkRequest<C extends Channel>(name: C | (string & {}), payload: unknown): CheckedRequest<C> {
  if (!(channelNames as readonly string[]).includes(name)) {
    return { ok: false, error: { code: 'invalid-request', message: `Unknown channel '${String(name)}'.` } };
  }
  const channel = name as C;
  // No payload means an empty request; anything else must be a plain object (structured clone
  // also carries null, arrays, Dates and Maps, which zod's object schema would partly accept).
  if (payload !== undefined && !isPlainObject(payload)) {
    return { ok: false, error: { code: 'invalid-request', message: `${channel}: payload: expected an object, received ${describeValue(payload)}` } };
  }
  const parsed = requestSchemas[channel].safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : 'payload';
    return { ok: false, error: { code: 'invalid-request', message: `${channel}: ${field}: ${issue.message}` } };
  }
  return { ok: true, channel, request: parsed.data as ParsedRequestOf<C> };
}
