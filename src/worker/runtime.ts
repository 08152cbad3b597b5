// Installs the process's one Temporal runtime: its logs into pino, its metrics on a loopback Prometheus exporter.
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import { PinoTemporalLogger } from '../logging/temporal-logger';

export interface RuntimeOptions {
  logger: Logger;
  /** The Temporal SDK's Prometheus exporter port on 127.0.0.1 (the worker's /metrics includes it); 0: none. */
  sdkMetricsPort: number;
  shutdownSignals: NodeJS.Signals[];
}

/** Once per process, before the first connection: the runtime cannot be reconfigured afterwards. */
export function installTemporalRuntime(options: RuntimeOptions): void {
  Runtime.install({
    logger: new PinoTemporalLogger(options.logger.child({ component: 'temporal' })),
    shutdownSignals: options.shutdownSignals,
    telemetryOptions: {
      // The Rust core's own logs too, through the same pino; it is chatty below WARN.
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(options.sdkMetricsPort > 0 ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${options.sdkMetricsPort}` } } } : {}),
    },
  });
}
