// Trace context through Temporal: client, workflow and activity interceptors, and the sink that exports workflow spans.
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';

/*
 * Every workflow bundle (the worker's own, the tests' and the benchmark's) includes these modules, so the same code
 * runs everywhere and replays the recorded histories: the interceptors add headers to commands, never commands.
 * OpenTelemetry's workflow interceptors run only in workflows whose start carried a trace (workflow-tracing.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./workflow-tracing')];

/** Starting a workflow carries the caller's trace (the ingest request's span) in the workflow's headers. */
export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

export function tracingWorkerInterceptors(): Pick<WorkerInterceptors, 'activity' | 'workflowModules'> {
  return {
    workflowModules: WORKFLOW_INTERCEPTOR_MODULES,
    activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
  };
}

// A traced workflow's spans are made in its sandbox; a worker without tracing of its own drops them here.
const DROP: SpanProcessor = {
  onStart: () => undefined,
  onEnd: (_span: ReadableSpan) => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/** The sink the workflow interceptors export through; every worker on a bundle with them must register it. */
export function tracingSinks(tracing: { processor: SpanProcessor | null; resource: Resource } | null): InjectedSinks<Record<string, never>> {
  return { exporter: makeWorkflowExporter(tracing?.processor ?? DROP, tracing?.resource ?? Resource.empty()) } as never;
}
