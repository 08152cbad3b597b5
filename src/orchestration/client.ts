// Hookline's Temporal client on a given connection: its namespace, encrypted payloads and trace propagation.
import { Client, type ConnectionLike } from '@temporalio/client';
import type { Config } from '../config/config';
import { tracingClientInterceptors } from '../observability/temporal-tracing';
import { hooklineDataConverter } from './data-converter';

/** The API's lazy connection, a worker's NativeConnection (activities, eager starts): every client is built here. */
export function hooklineClient(config: Config, connection: ConnectionLike): Client {
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: hooklineDataConverter(config),
    interceptors: tracingClientInterceptors(),
  });
}
