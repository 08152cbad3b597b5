// @hookline/client: a typed client for the Hookline API (openapi-fetch over types generated from /openapi.json).
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths, webhooks } from './schema';
export { HooklineApiError, orThrow } from './result';

export type HooklineClient = Client<paths>;
export type Schemas = components['schemas'];
export type Destination = Schemas['Destination'];
export type DestinationCreated = Schemas['DestinationCreated'];
export type CreateDestination = Schemas['CreateDestination'];
export type EventIn = Schemas['EventIn'];
export type Delivery = Schemas['Delivery'];
export type DeliverySummary = Schemas['DeliverySummary'];
export type WebhookEnvelope = Schemas['WebhookEnvelope'];

export interface HooklineClientOptions {
  /** Where Hookline's API is, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** A workspace API key (`hk_...`), or the operator token for the workspace routes. */
  apiKey: string;
  /** A fetch of your own (a proxy, retries, tests); the global one otherwise. */
  fetch?: typeof globalThis.fetch;
}

/** `const hookline = createHooklineClient({ baseUrl, apiKey }); await hookline.POST('/v1/events', { body })`. */
export function createHooklineClient(options: HooklineClientOptions): HooklineClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
