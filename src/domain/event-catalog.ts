// The event types every new workspace starts with (the contact lifecycle, webhook.test, webhook.auto_disabled) and their examples.

/** Sent on request, and by the auto-recover probe, to check that a destination receives and verifies webhooks. */
export const TEST_EVENT_TYPE = 'webhook.test';
/** Emitted into the workspace when a destination is paused; never delivered to that destination itself. */
export const AUTO_DISABLED_EVENT = 'webhook.auto_disabled';

export interface DefaultEventType {
  name: string;
  description: string;
  example: unknown;
}

const contact = {
  id: 'ct_01JBR4Y8K9W6Q2M3N4P5R6S7T8',
  email: 'ada.lovelace@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  phone: '+44 20 7946 0958',
  company: 'Analytical Engines Ltd',
  list_ids: ['lst_newsletter', 'lst_customers'],
  tags: ['vip'],
  created_at: '2025-01-15T09:30:00.000Z',
  updated_at: '2025-01-15T09:30:00.000Z',
};

/*
 * No JSON Schemas here on purpose: a workspace decides what its payloads look like, and a default schema
 * would reject events from producers that already send these names with other shapes.
 */
export const DEFAULT_EVENT_TYPES: readonly DefaultEventType[] = [
  { name: 'contact.created', description: 'A contact was created in the workspace.', example: contact },
  {
    name: 'contact.updated',
    description: "A contact's profile or attributes changed; changed_fields lists what changed.",
    example: { ...contact, first_name: 'Augusta Ada', updated_at: '2025-02-03T14:05:00.000Z', changed_fields: ['first_name'] },
  },
  {
    name: 'contact.deleted',
    description: 'A contact was deleted.',
    example: { id: contact.id, email: contact.email, deleted_at: '2025-03-01T08:00:00.000Z' },
  },
  {
    name: 'contact.subscribed',
    description: 'A contact subscribed to a list.',
    example: { ...contact, list_id: 'lst_newsletter', source: 'signup_form', subscribed_at: '2025-01-15T09:31:00.000Z' },
  },
  {
    name: 'contact.unsubscribed',
    description: 'A contact unsubscribed from a list.',
    example: { ...contact, list_id: 'lst_newsletter', reason: 'user_request', unsubscribed_at: '2025-04-10T17:45:00.000Z' },
  },
  {
    name: TEST_EVENT_TYPE,
    description: 'A test delivery sent on request to check that a destination receives and verifies webhooks.',
    example: { message: 'This is a test webhook from Hookline' },
  },
  {
    name: AUTO_DISABLED_EVENT,
    description: 'Hookline paused a destination after repeated failures; its new deliveries are held until it is re-enabled.',
    example: {
      destination_id: 'dst_01JH8Z6Q2W3E4R5T6Y7U8I9O0P',
      destination_name: 'CRM sync',
      reason: '10 consecutive failed deliveries (threshold 10); last error: receiver responded 503',
      consecutive_failures: 10,
      disabled_at: '2025-04-10T17:45:00.000Z',
    },
  },
];

/**
 * The data a test send carries: the type's registered example, else the built-in example of that type,
 * else an empty object. `registered` is undefined when the workspace has no such type, null when it has no example.
 */
export function exampleData(type: string, registered: unknown): unknown {
  if (registered !== undefined && registered !== null) return registered;
  return DEFAULT_EVENT_TYPES.find((entry) => entry.name === type)?.example ?? {};
}

/** A destination's own webhook.auto_disabled would only be held for it until it is back: it never gets it. */
export function announcesItsOwnPause(type: string, data: unknown, destinationId: string): boolean {
  return type === AUTO_DISABLED_EVENT && (data as { destination_id?: unknown } | null)?.destination_id === destinationId;
}
