// Workflow interceptors (they run in the workflow sandbox): OpenTelemetry's, for exactly the workflows whose start carried a trace.
import type * as OpenTelemetryWorkflowModule from '@temporalio/interceptors-opentelemetry/lib/workflow';
import {
  defaultPayloadConverter,
  type ActivityInput,
  type ContinueAsNewInput,
  type DisposeInput,
  type LocalActivityInput,
  type Next,
  type QueryInput,
  type SignalInput,
  type SignalWorkflowInput,
  type StartChildWorkflowExecutionInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { Payload } from '@temporalio/common';

/*
 * Why not OpenTelemetry's module directly: it makes, exports and ships every workflow's spans through the sink even when
 * nobody traces, and loading it costs each workflow its module initialisation. Measured with `npm run bench`, that is
 * half the worker's CPU per delivery. Its client interceptor always sets this header; the W3C `traceparent` is in it
 * only when the caller (the ingest request) was traced. Interceptors add headers to commands, never commands, so
 * whether a workflow is traced does not change what it replays.
 */
const TRACE_HEADER = '_tracer-data';

type OpenTelemetryWorkflow = typeof OpenTelemetryWorkflowModule;

function carriesTrace(headers: Record<string, Payload>): boolean {
  const payload = headers[TRACE_HEADER];
  if (!payload) return false;
  try {
    const carrier = defaultPayloadConverter.fromPayload<Record<string, string>>(payload);
    return typeof carrier?.traceparent === 'string';
  } catch {
    return false;
  }
}

interface Traced {
  inbound: WorkflowInboundCallsInterceptor;
  outbound: WorkflowOutboundCallsInterceptor;
  internals: WorkflowInternalsInterceptor;
}

function loadTracing(): Traced {
  // Required here, not imported: an untraced workflow never initialises OpenTelemetry in its sandbox.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const otel = require('@temporalio/interceptors-opentelemetry/lib/workflow') as OpenTelemetryWorkflow;
  return {
    inbound: new otel.OpenTelemetryInboundInterceptor(),
    outbound: new otel.OpenTelemetryOutboundInterceptor(),
    internals: new otel.OpenTelemetryInternalsInterceptor(),
  };
}

export const interceptors = (): WorkflowInterceptors => {
  // Decided by the workflow's start; a signal that comes before it (signal-with-start) is simply not traced.
  let traced: Traced | null = null;
  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
      if (carriesTrace(input.headers)) traced = loadTracing();
      return traced?.inbound.execute ? traced.inbound.execute(input, next) : next(input);
    },
    handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>) {
      return traced?.inbound.handleSignal ? traced.inbound.handleSignal(input, next) : next(input);
    },
    handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>) {
      return traced?.inbound.handleUpdate ? traced.inbound.handleUpdate(input, next) : next(input);
    },
    handleQuery(input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>) {
      return traced?.inbound.handleQuery ? traced.inbound.handleQuery(input, next) : next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
      return traced?.outbound.scheduleActivity ? traced.outbound.scheduleActivity(input, next) : next(input);
    },
    scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>) {
      return traced?.outbound.scheduleLocalActivity ? traced.outbound.scheduleLocalActivity(input, next) : next(input);
    },
    startChildWorkflowExecution(input: StartChildWorkflowExecutionInput, next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>) {
      return traced?.outbound.startChildWorkflowExecution ? traced.outbound.startChildWorkflowExecution(input, next) : next(input);
    },
    continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>) {
      return traced?.outbound.continueAsNew ? traced.outbound.continueAsNew(input, next) : next(input);
    },
    signalWorkflow(input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>) {
      return traced?.outbound.signalWorkflow ? traced.outbound.signalWorkflow(input, next) : next(input);
    },
    getLogAttributes(input: Record<string, unknown>, next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>) {
      return traced?.outbound.getLogAttributes ? traced.outbound.getLogAttributes(input, next) : next(input);
    },
  };
  const internals: WorkflowInternalsInterceptor = {
    dispose(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, 'dispose'>) {
      return traced?.internals.dispose ? traced.internals.dispose(input, next) : next(input);
    },
  };
  return { inbound: [inbound], outbound: [outbound], internals: [internals] };
};
