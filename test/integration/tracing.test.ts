// One trace from POST /v1/events through the workflows and the attempt (made by the planning activity) to the receiver, which gets our traceparent.
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '../../src/observability/tracing';
import { makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let hookline: HooklineHarness;
  let traced: Receiver;
  let untraced: Receiver;

  beforeAll(async () => {
    // In-memory instead of the OTEL_* variables; everything else is what production starts.
    tracing = startTracing({ serviceName: 'hookline-test', processors: [new SimpleSpanProcessor(exporter)] });
    hookline = await startHookline({}, { tracing });
    traced = await startReceiver(() => ({ status: 200 }));
    untraced = await startReceiver(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await traced?.close();
    await untraced?.close();
    await hookline?.close();
    await tracing?.shutdown();
  });

  const named = (spans: ReadableSpan[], name: string) => spans.filter((span) => span.name === name);

  it('covers the ingest request, the event workflow, the attempt and the outgoing request in one trace', async () => {
    const { key } = await hookline.createWorkspace('tracing');
    await makeDestination(hookline, key, { url: `${traced.url}/hooks`, event_types: ['contact.*'] });
    const quiet = await makeDestination(hookline, key, { url: `${untraced.url}/hooks`, event_types: ['contact.*'], trace_context: false });
    expect(quiet.body.trace_context).toBe(false);

    await postEvent(hookline, key, { type: 'contact.created', data: { id: 'c_1' } });
    const [received] = await traced.waitForRequests(1);
    await untraced.waitForRequests(1);

    const spans = await eventually(async () => {
      const finished = exporter.getFinishedSpans();
      // Workflow spans arrive through the worker's sink once the workflow task completes.
      return named(finished, 'RunWorkflow:deliverEventWorkflow').length > 0 && named(finished, 'POST').length === 2 ? finished : undefined;
    }, 'the spans of the delivery');

    const [ingest] = named(spans, 'POST /v1/events');
    expect(ingest).toBeDefined();
    const traceId = ingest!.spanContext().traceId;
    const inTrace = spans.filter((span) => span.spanContext().traceId === traceId).map((span) => span.name);
    expect(inTrace).toEqual(
      expect.arrayContaining([
        'POST /v1/events',
        'StartWorkflow:deliverEventWorkflow',
        'RunWorkflow:deliverEventWorkflow',
        'RunActivity:planEventDeliveries',
        'POST',
      ]),
    );

    // The receiver's traceparent names our client span for its request: its own spans become that span's children.
    const outgoing = named(spans, 'POST').find((span) => span.attributes['url.full'] === `${traced.url}/hooks`)!;
    expect(outgoing.spanContext().traceId).toBe(traceId);
    expect(received!.headers.traceparent).toBe(`00-${traceId}-${outgoing.spanContext().spanId}-01`);
    expect(outgoing.attributes['http.response.status_code']).toBe(200);

    // The destination that switched it off gets no traceparent, though its request is still traced on our side.
    expect(untraced.requests[0]!.headers.traceparent).toBeUndefined();
  });
});
