// Request bodies and calls the configuration API tests share: a valid destination and a workspace with a key.
import type { ApiHarness } from '../support/api-harness';

export const PUBLIC_URL = 'https://hooks.example.com/incoming';

/** The smallest destination every deployment accepts (https, a public host name, no DNS at write time). */
export function destinationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'CRM sync', url: PUBLIC_URL, ...overrides };
}

/** Creates a destination and fails the test loudly if that does not work, so later assertions mean something. */
export async function createDestination(
  harness: ApiHarness,
  key: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; secret: string; body: Record<string, unknown> }> {
  const response = await harness.request('POST', '/v1/destinations', { key, body: destinationBody(overrides) });
  if (response.status !== 201) {
    throw new Error(`creating a destination answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return { id: response.body.id, secret: response.body.secret, body: response.body };
}

/** The error code and status of a response, for one-line assertions on refused input. */
export function refusal(response: { status: number; body: any }): { status: number; code: unknown } {
  return { status: response.status, code: response.body?.error?.code };
}
