// What Prometheus scrapes from the API and from a real worker process after a delivery, a failure and an auto-disable.
import { loadConfig } from '../../src/config/config';
import { freePort } from '../../src/dev/free-port';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { eventually } from '../support/hookline-harness';
import { scrape, type Scrape } from '../support/prometheus';
import { startReceiver, type Receiver } from '../support/receiver';
import { testEnv } from '../support/test-env';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

describe('metrics', () => {
  let api: ApiHarness;
  let worker: WorkerProcess;
  let workerMetricsUrl: string;
  let healthy: Receiver;
  let broken: Receiver;

  beforeAll(async () => {
    const metricsPort = await freePort();
    const env = testEnv({ HOOKLINE_METRICS_PORT: String(metricsPort), HOOKLINE_SDK_METRICS_PORT: String(await freePort()) });
    workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    // One environment, so the API and the worker process share the task queue.
    api = await startApiHarness({}, loadConfig(env));
    worker = await startWorkerProcess(env);
    healthy = await startReceiver(() => ({ status: 200 }));
    broken = await startReceiver(() => ({ status: 400, body: 'no such contact' }));
  });

  afterAll(async () => {
    await worker?.stop();
    await healthy?.close();
    await broken?.close();
    await api?.close();
  });

  it('counts ingestion on the API, and attempts, deliveries, health signals and auto-disables on the worker', async () => {
    const workspace = await api.createWorkspace('metrics');
    await makeDestination(api, workspace.key, { url: `${healthy.url}/hooks`, event_types: ['contact.*'] });
    const failing = await makeDestination(api, workspace.key, { url: `${broken.url}/hooks`, event_types: ['lead.*'], failure_threshold: 1 });

    const delivered = await postEvent(api, workspace.key, { type: 'contact.created', data: { id: 'c_1' } });
    const failed = await postEvent(api, workspace.key, { type: 'lead.scored', data: { id: 'l_1' } });
    expect((await api.request('POST', '/v1/events', { key: workspace.key, body: { data: {} } })).status).toBe(400);
    await onlyDeliveryOf(api, workspace.key, delivered, 'succeeded');
    await onlyDeliveryOf(api, workspace.key, failed, 'failed');
    await eventually(async () => {
      const destination = await api.request('GET', `/v1/destinations/${failing.id}`, { key: workspace.key });
      return destination.body.status === 'auto_disabled' ? true : undefined;
    }, 'the failing destination to be auto-disabled');

    const fromApi = await scrape(`${api.baseUrl}/metrics`);
    expect(fromApi.value('hookline_events_ingested_total', { replayed: 'false' })).toBe(2);
    expect(fromApi.value('hookline_events_refused_total', { code: 'validation_failed', status: '400' })).toBe(1);
    expect(fromApi.value('hookline_ingest_duration_seconds', { status: '202' })).toBe(2);
    expect(fromApi.value('hookline_http_requests_total', { method: 'GET', route: '/v1/destinations/:id', status: '200' })).toBeGreaterThanOrEqual(1);

    // The worker counts after its attempt has recorded, and pauses through the health workflow: scrape until it has.
    const fromWorker: Scrape = await eventually(async () => {
      const scraped = await scrape(workerMetricsUrl);
      return scraped.value('hookline_destinations_auto_disabled_total') === 1 ? scraped : undefined;
    }, 'the worker to count the auto-disable');
    expect(fromWorker.value('hookline_attempts_total', { outcome: '2xx' })).toBe(1);
    expect(fromWorker.value('hookline_attempts_total', { outcome: '4xx' })).toBe(1);
    expect(fromWorker.value('hookline_attempts_total', { outcome: '5xx' })).toBe(0);
    expect(fromWorker.value('hookline_attempt_duration_seconds', { outcome: '2xx' })).toBe(1);
    expect(fromWorker.value('hookline_deliveries_total', { status: 'succeeded' })).toBe(1);
    expect(fromWorker.value('hookline_deliveries_total', { status: 'failed' })).toBe(1);
    expect(fromWorker.value('hookline_delivery_latency_seconds')).toBe(1);
    expect(fromWorker.value('hookline_health_signals_total', { kind: 'failure' })).toBe(1);
    // Fleet gauges count the whole database, which other spec files share: at least this workspace's part.
    expect(fromWorker.value('hookline_destinations', { status: 'auto_disabled' })).toBeGreaterThanOrEqual(1);
    expect(fromWorker.value('hookline_deliveries_open', { status: 'held' })).toEqual(expect.any(Number));
    expect(fromWorker.families).toContain('hookline_destination_failure_streak');

    // The Temporal SDK's own series (its runtime's Prometheus exporter) come in the same scrape.
    expect(fromWorker.families).toEqual(
      expect.arrayContaining([
        'temporal_worker_task_slots_used',
        'temporal_workflow_task_schedule_to_start_latency',
        'temporal_activity_schedule_to_start_latency',
        'temporal_sticky_cache_size',
      ]),
    );
  });
});
