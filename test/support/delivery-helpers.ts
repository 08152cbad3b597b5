// API calls the delivery specs share: post an event, make a destination, and wait for deliveries to settle.
import type { ApiClient } from './api-harness';
import { eventually } from './hookline-harness';

// Deliveries and destinations are read as JSON; `any` keeps assertions terse where the shape is under test.

export interface CreatedDestination {
  id: string;
  secret: string;
  body: any;
}

/** Creates a destination and fails loudly if that does not work, so later assertions mean something. */
export async function makeDestination(api: ApiClient, key: string, body: Record<string, unknown>): Promise<CreatedDestination> {
  const response = await api.request('POST', '/v1/destinations', { key, body: { name: 'Receiver', ...body } });
  if (response.status !== 201) throw new Error(`creating a destination answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { id: response.body.id, secret: response.body.secret, body: response.body };
}

/** Posts an event and returns its id; anything but 202 fails the test here rather than later. */
export async function postEvent(
  api: ApiClient,
  key: string,
  event: { type: string; data: unknown; subject?: string | null },
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await api.request('POST', '/v1/events', { key, body: event, headers });
  if (response.status !== 202) throw new Error(`posting an event answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.event_id;
}

/** The event with its delivery summaries, once its planning activity has stored it and `ready` holds. */
export async function eventWhen(api: ApiClient, key: string, eventId: string, ready: (event: any) => boolean, what: string): Promise<any> {
  return eventually(async () => {
    const response = await api.request('GET', `/v1/events/${eventId}`, { key });
    return response.status === 200 && ready(response.body) ? response.body : undefined;
  }, what);
}

/** The delivery with its attempts, once `ready` holds for it. */
export async function deliveryWhen(
  api: ApiClient,
  key: string,
  deliveryId: string,
  ready: (delivery: any) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<any> {
  return eventually(
    async () => {
      const response = await api.request('GET', `/v1/deliveries/${deliveryId}`, { key });
      return response.status === 200 && ready(response.body) ? response.body : undefined;
    },
    what,
    timeoutMs,
  );
}

/** The only delivery of an event (to a single-destination workspace), with its attempts, once it is in `status`. */
export async function onlyDeliveryOf(api: ApiClient, key: string, eventId: string, status: string, timeoutMs?: number): Promise<any> {
  const event = await eventWhen(api, key, eventId, (e) => e.deliveries.length === 1, `event ${eventId} to have its delivery`);
  return deliveryWhen(api, key, event.deliveries[0].id, (d) => d.status === status, `delivery of ${eventId} to be ${status}`, timeoutMs);
}

/** Lets time pass so that something that should not happen (a retry, a second request) would have happened. */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
