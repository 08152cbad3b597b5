// The API's connection to Temporal: lazy, so the API serves while Temporal is away, with gRPC retries that end soon.
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { Config } from '../config/config';

/*
 * The SDK's default retries an unreachable frontend for a long while, long past the start deadline the API
 * answers 503 at; a few quick tries keep a blip invisible and let an outage surface (and shutdown finish) promptly.
 */
export function temporalConnection(config: Config): Connection {
  return Connection.lazy({
    address: config.temporal.address,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
  });
}
