// OpenTelemetry for one process: the NodeSDK, span processors from the standard OTEL_* variables, off unless set.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Context } from '@opentelemetry/api';

export class TracingConfigError extends Error {
  override name = 'TracingConfigError';
}

export interface Tracing {
  /** Where workflow spans go too (the Temporal interceptors' sink); null when tracing is off. */
  processor: SpanProcessor | null;
  resource: Resource;
  shutdown(): Promise<void>;
}

/** Tracing is on when OTEL_TRACES_EXPORTER names an exporter, or an OTLP endpoint is set (OTLP is then the default). */
export function spanProcessorsFromEnv(env: NodeJS.ProcessEnv): SpanProcessor[] {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const names = (env.OTEL_TRACES_EXPORTER ?? (endpoint ? 'otlp' : 'none'))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return names.flatMap((name): SpanProcessor[] => {
    switch (name) {
      case 'none':
        return [];
      // The exporter reads the OTEL_EXPORTER_OTLP_* variables (endpoint, headers, timeout) itself.
      case 'otlp':
        return [new BatchSpanProcessor(new OTLPTraceExporter())];
      case 'console':
        return [new SimpleSpanProcessor(new ConsoleSpanExporter())];
      default:
        throw new TracingConfigError(`OTEL_TRACES_EXPORTER: unsupported exporter "${name}" (Hookline supports otlp, console and none)`);
    }
  });
}

/** One processor that hands each span to several: the NodeSDK takes a list, the workflow-span sink takes one. */
class FanOutProcessor implements SpanProcessor {
  constructor(private readonly processors: SpanProcessor[]) {}
  onStart(span: Span, parent: Context): void {
    for (const processor of this.processors) processor.onStart(span, parent);
  }
  onEnd(span: ReadableSpan): void {
    for (const processor of this.processors) processor.onEnd(span);
  }
  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((processor) => processor.forceFlush()));
  }
  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((processor) => processor.shutdown()));
  }
}

/**
 * Starts the SDK once per process, before the API or the worker is built. `processors` replaces the environment's
 * (the tracing spec passes an in-memory exporter). Instrumentation is Hookline's own: the API's server span, the
 * Temporal interceptors and the delivery's client span, so nothing depends on patching modules at load time.
 */
export function startTracing(options: { serviceName: string; env?: NodeJS.ProcessEnv; processors?: SpanProcessor[] }): Tracing {
  const env = options.env ?? process.env;
  const processors = options.processors ?? spanProcessorsFromEnv(env);
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? options.serviceName });
  if (processors.length === 0) return { processor: null, resource, shutdown: async () => undefined };
  const processor = new FanOutProcessor(processors);
  const sdk = new NodeSDK({ resource, spanProcessors: [processor], instrumentations: [], autoDetectResources: false });
  sdk.start();
  return { processor, resource, shutdown: () => sdk.shutdown() };
}
