// The HTTP floor, in its own process like the worker: undici POSTs of a delivery's body straight to the receivers.
import { writeFileSync } from 'node:fs';
import { request } from 'undici';
import { createHttpClient } from '../src/activities/http/dispatcher';
import { buildTemplateVariables, renderBody } from '../src/domain/render';
import { generateSecret, signStandardWebhooks } from '../src/domain/sign';
import { HOOKLINE_VERSION } from '../src/version';
import { benchEventData } from './hookline-api';
import { summarizeLatency } from './latency';
import { runLoad } from './load';

class HttpFloorConfigError extends Error {
  override name = 'HttpFloorConfigError';
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new HttpFloorConfigError(`${name} is not set; the benchmark starts this process with it`);
  return value;
}

async function main(): Promise<void> {
  const origins = required('BENCH_HTTP_FLOOR_ORIGINS').split(',');
  const concurrency = Number(required('BENCH_CONCURRENCY'));
  // The worker's own dispatcher settings: the floor differs from a delivery only in what happens around the POST.
  const dispatcher = createHttpClient({ connectionsPerOrigin: Number(required('BENCH_CONNECTIONS_PER_ORIGIN')), allowPrivate: true });
  const vars = buildTemplateVariables({
    eventId: 'evt_http_floor',
    eventType: 'bench.floor',
    occurredAt: new Date().toISOString(),
    data: benchEventData(0),
    subject: null,
    workspaceId: 'ws_http_floor',
    destinationName: 'floor',
  });
  const body = renderBody(null, vars);
  // Signed once: the floor measures the transport, not HMAC; each request still gets its own webhook-id.
  const signed = signStandardWebhooks({ id: 'dlv_floor', timestampSeconds: Date.now() / 1000, body, secrets: [generateSecret()] });
  const headers = { 'user-agent': `Hookline/${HOOKLINE_VERSION}`, 'content-type': 'application/json', ...signed };

  const result = await runLoad({
    rate: null,
    concurrency,
    durationMs: Number(required('BENCH_DURATION_MS')),
    send: async (seq) => {
      const response = await request(`${origins[seq % origins.length]}/floor`, {
        method: 'POST',
        headers: { ...headers, 'webhook-id': `dlv_floor_${seq}` },
        body,
        dispatcher,
      });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`receiver answered ${response.statusCode}`);
    },
  });
  await dispatcher.close();
  writeFileSync(
    required('BENCH_HTTP_FLOOR_OUT'),
    JSON.stringify({
      requests: result.accepted,
      failed: result.failed,
      firstError: result.firstError,
      elapsedMs: result.elapsedMs,
      requestsPerSecond: result.acceptedPerSecond,
      latency: summarizeLatency(result.requestMs),
      bodyBytes: Buffer.byteLength(body),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
