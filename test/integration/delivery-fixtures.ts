// Calls the delivery-management specs share: destinations on a loopback receiver, events, and waiting for outcomes.
import type { ApiHarness } from '../support/api-harness';
import { eventually } from '../support/hookline-harness';
import type { Receiver, Responder } from '../support/receiver';
import { createDestination } from './destination-fixtures';

export interface Workspace {
  id: string;
  key: string;
}

/** A delivery as the API shows it; only the fields the specs read. */
export interface DeliveryJson {
  id: string;
  event_id: string;
  destination_id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  last_status_code: number | null;
  last_error: string | null;
  is_test: boolean;
  workflow_id: string;
  created_at: string;
}

export async function destinationFor(harness: ApiHarness, workspace: Workspace, receiver: Receiver, overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await createDestination(harness, workspace.key, { url: `${receiver.url}/hooks`, event_types: ['*'], ...overrides });
  return created.id;
}

export async function sendEvent(harness: ApiHarness, workspace: Workspace, type: string, data: unknown, subject?: string): Promise<string> {
  const accepted = await harness.request('POST', '/v1/events', { key: workspace.key, body: { type, data, ...(subject ? { subject } : {}) } });
  if (accepted.status !== 202) throw new Error(`ingesting ${type} answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  return accepted.body.event_id as string;
}

export async function readDelivery(harness: ApiHarness, workspace: Workspace, id: string): Promise<DeliveryJson & { attempts: unknown[] }> {
  const response = await harness.request('GET', `/v1/deliveries/${id}`, { key: workspace.key });
  if (response.status !== 200) throw new Error(`reading delivery ${id} answered ${response.status}`);
  return response.body;
}

/** The event's delivery to one destination, once the event workflow has planned it. */
export async function deliveryOf(harness: ApiHarness, workspace: Workspace, eventId: string, destinationId: string): Promise<DeliveryJson> {
  return eventually(async () => {
    const event = await harness.request('GET', `/v1/events/${eventId}`, { key: workspace.key });
    return (event.body?.deliveries as DeliveryJson[] | undefined)?.find((d) => d.destination_id === destinationId);
  }, `a delivery of ${eventId} to ${destinationId}`);
}

/** Waits until the delivery reaches `status` (and, if given, has made `attempts` attempts). */
export async function deliveryReaches(
  harness: ApiHarness,
  workspace: Workspace,
  id: string,
  status: string,
  attempts?: number,
): Promise<DeliveryJson & { attempts: unknown[] }> {
  let last: DeliveryJson | undefined;
  try {
    return await eventually(
      async () => {
        const delivery = (last = await readDelivery(harness, workspace, id));
        if (delivery.status !== status) return undefined;
        if (attempts !== undefined && delivery.attempt_count !== attempts) return undefined;
        return delivery;
      },
      `delivery ${id} to be ${status}${attempts !== undefined ? ` after ${attempts} attempts` : ''}`,
    );
  } catch (error) {
    // Say where it stopped: the status and attempt count a person would see.
    throw new Error(`${(error as Error).message}; last seen ${last ? `${last.status} after ${last.attempt_count} attempts` : 'nothing'}`);
  }
}

/** Sends one event and waits for its delivery to the destination to finish as `status`. */
export async function deliverOne(
  harness: ApiHarness,
  workspace: Workspace,
  destinationId: string,
  data: unknown,
  status: string,
  type = 'contact.created',
): Promise<DeliveryJson> {
  const eventId = await sendEvent(harness, workspace, type, data);
  const planned = await deliveryOf(harness, workspace, eventId, destinationId);
  return deliveryReaches(harness, workspace, planned.id, status);
}

/** Answers 200, or `failStatus` when the event's data says `{"outcome": "fail"}`: one receiver, a scripted mix. */
export function byOutcome(failStatus = 400): Responder {
  return (request) => {
    const body = request.body ? (JSON.parse(request.body) as { data?: { outcome?: string } }) : {};
    return body.data?.outcome === 'fail' ? { status: failStatus, body: 'no thanks' } : { status: 200, body: 'ok' };
  };
}
