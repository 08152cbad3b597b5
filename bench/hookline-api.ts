// The benchmark's client for Hookline's HTTP API: setup calls and the event POST the generators time.
import { Pool } from 'undici';

export class HooklineApiError extends Error {
  override name = 'HooklineApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DestinationSpec {
  name: string;
  url: string;
  eventTypes: string[];
  maxAttempts?: number;
  failureThreshold?: number;
  /** OAuth 2.0 client credentials for the destination (its token endpoint on the bench's receivers). */
  oauth?: { token_url: string; client_id: string; client_secret: string };
}

export interface BenchWorkspace {
  id: string;
  key: string;
  destinationIds: string[];
}

export class HooklineApi {
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    private readonly adminToken: string,
    connections: number,
  ) {
    this.pool = new Pool(baseUrl, { connections, keepAliveTimeout: 60_000 });
  }

  private async call(method: 'GET' | 'POST' | 'PATCH', path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await this.pool.request({
      method,
      path,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: text === '' ? null : (JSON.parse(text) as unknown) };
  }

  private async expect<T>(status: number, method: 'GET' | 'POST' | 'PATCH', path: string, token: string, body?: unknown): Promise<T> {
    const answer = await this.call(method, path, token, body);
    if (answer.status !== status) {
      throw new HooklineApiError(answer.status, `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
    }
    return answer.json as T;
  }

  async createWorkspace(name: string, destinations: DestinationSpec[]): Promise<BenchWorkspace> {
    const workspace = await this.expect<{ id: string }>(201, 'POST', '/v1/workspaces', this.adminToken, { name });
    const { key } = await this.expect<{ key: string }>(201, 'POST', `/v1/workspaces/${workspace.id}/api-keys`, this.adminToken, {});
    const destinationIds: string[] = [];
    for (const spec of destinations) {
      const created = await this.expect<{ id: string }>(201, 'POST', '/v1/destinations', key, {
        name: spec.name,
        url: spec.url,
        event_types: spec.eventTypes,
        ...(spec.maxAttempts === undefined ? {} : { max_attempts: spec.maxAttempts }),
        ...(spec.failureThreshold === undefined ? {} : { failure_threshold: spec.failureThreshold }),
        ...(spec.oauth === undefined ? {} : { oauth: spec.oauth }),
      });
      destinationIds.push(created.id);
    }
    return { id: workspace.id, key, destinationIds };
  }

  /** POST /v1/events; resolves with the event id on 202, else throws with the status. */
  async postEvent(key: string, type: string, data: unknown, subject?: string): Promise<string> {
    const answer = await this.call('POST', '/v1/events', key, subject === undefined ? { type, data } : { type, data, subject });
    if (answer.status !== 202) throw new HooklineApiError(answer.status, `POST /v1/events answered ${answer.status}`);
    return (answer.json as { event_id: string }).event_id;
  }

  /** PATCH /v1/destinations/:id with `{enabled}`: false pauses it (new deliveries are held), true releases them. */
  /** PATCH /v1/destinations/:id with any writable fields (a scenario's delivery control). */
  async patchDestination(key: string, destinationId: string, fields: Record<string, unknown>): Promise<void> {
    await this.expect(200, 'PATCH', `/v1/destinations/${destinationId}`, key, fields);
  }

  /** PATCH /v1/retention: the workspace's payload and record windows, in seconds. */
  async setRetention(key: string, payloadSeconds: number, recordSeconds: number): Promise<void> {
    await this.expect(200, 'PATCH', '/v1/retention', key, { payload_retention_seconds: payloadSeconds, record_retention_seconds: recordSeconds });
  }

  /** GET /v1/destinations/:id/queue: how many of its deliveries wait for a turn. */
  async queuedDeliveries(key: string, destinationId: string): Promise<number> {
    return (await this.expect<{ queued: number }>(200, 'GET', `/v1/destinations/${destinationId}/queue`, key)).queued;
  }

  async setDestinationEnabled(key: string, destinationId: string, enabled: boolean): Promise<void> {
    await this.expect(200, 'PATCH', `/v1/destinations/${destinationId}`, key, { enabled });
  }

  /** The workspace's delivery ids, newest first, at most `limit` (one page). */
  async deliveryIds(key: string, limit: number): Promise<string[]> {
    const page = await this.expect<{ data: Array<{ id: string }> }>(200, 'GET', `/v1/deliveries?limit=${limit}`, key);
    return page.data.map((delivery) => delivery.id);
  }

  /** POST /v1/deliveries/:id/retry: a manual retry (a replay, for a succeeded delivery). */
  async retryDelivery(key: string, deliveryId: string): Promise<void> {
    await this.expect(202, 'POST', `/v1/deliveries/${deliveryId}/retry`, key, {});
  }

  async ready(): Promise<boolean> {
    try {
      const answer = await this.call('GET', '/readyz', this.adminToken);
      return answer.status === 200;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** A payload of realistic size (~300 bytes of JSON), the same for every scenario and the HTTP floor. */
export function benchEventData(seq: number): Record<string, unknown> {
  return {
    seq,
    contact: { id: `c_${seq}`, email: `bench-${seq}@example.com`, first_name: 'Ada', last_name: 'Lovelace' },
    segment_ids: ['seg_1', 'seg_2', 'seg_3'],
    note: 'benchmark payload '.repeat(8),
  };
}
