// Installs the process's one Temporal runtime: its logs into pino, its metrics on a loopback Prometheus exporter.
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import { isAddressInUse, PortInUseError } from '../config/port-in-use';
import { PinoTemporalLogger } from '../logging/temporal-logger';

export interface RuntimeOptions {
  logger: Logger;
  /** The Temporal SDK's Prometheus exporter port on 127.0.0.1 (the worker's /metrics includes it); 0: none. */
  sdkMetricsPort: number;
  shutdownSignals: NodeJS.Signals[];
}

/** Once per process, before the first connection: the runtime cannot be reconfigured afterwards. */
export function installTemporalRuntime(options: RuntimeOptions): void {
  try {
    install(options);
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    // A second worker on this host with the defaults: its /metrics port would be taken next.
    throw new PortInUseError(
      options.sdkMetricsPort,
      "the Temporal SDK's metrics exporter",
      'HOOKLINE_SDK_METRICS_PORT',
      '0 turns it off; a second worker on this host also needs its own HOOKLINE_METRICS_PORT',
    );
  }
}

function install(options: RuntimeOptions): void {
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
