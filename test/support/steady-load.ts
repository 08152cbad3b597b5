// A client posting events at a steady pace over several API replicas, as a careful producer would: each event has its
// own Idempotency-Key, and when a replica cannot be reached the same request goes to the next one.
import type { ApiClient, ApiResponse } from './api-harness';

export interface SteadyLoad {
  /** Event ids the API answered 202 for: every one of them must be delivered. */
  accepted: Set<string>;
  /** Every HTTP status the API answered, retries included. */
  statuses: number[];
  /** Stops posting and waits for requests in flight. */
  stop(): Promise<void>;
}

const PAUSE_BEFORE_RETRY_MS = 200;
const TRIES = 100;

export function startSteadyLoad(replicas: ApiClient[], key: string, everyMs = 100): SteadyLoad {
  const accepted = new Set<string>();
  const statuses: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let stopped = false;

  const post = async (n: number) => {
    const headers = { 'Idempotency-Key': `load-${Date.now()}-${n}` };
    for (let tryNumber = 0; tryNumber < TRIES; tryNumber += 1) {
      const replica = replicas[(n + tryNumber) % replicas.length]!;
      let response: ApiResponse;
      try {
        response = await replica.request('POST', '/v1/events', { key, headers, body: { type: 'contact.updated', data: { n } } });
      } catch {
        // Connection refused or reset: that replica is gone; the same request goes to the next one.
        await new Promise((resolve) => setTimeout(resolve, PAUSE_BEFORE_RETRY_MS));
        continue;
      }
      statuses.push(response.status);
      if (response.status === 202) {
        accepted.add(response.body.event_id);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BEFORE_RETRY_MS));
    }
  };

  const timer = setInterval(() => {
    if (stopped) return;
    const request = post((sent += 1)).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }, everyMs);

  return {
    accepted,
    statuses,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
