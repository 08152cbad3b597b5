// Structured logs with pino; credentials and secrets are redacted wherever they might appear.
import pino, { type DestinationStream, type Logger } from 'pino';
import { prettyDevStream } from './pretty';

const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'secret',
  '*.secret',
  'key',
  '*.key',
  'config.adminToken',
  'config.encryptionKey',
];

export interface LoggerOptions {
  level: string;
  name: string;
  /** One readable line per entry for a person at a terminal (`npm run dev`); JSON otherwise. */
  pretty?: boolean;
  /** Where the JSON goes (tests capture it); stdout by default. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = { name: options.name, level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  const destination = options.pretty ? prettyDevStream() : options.destination;
  return destination ? pino(settings, destination) : pino(settings);
}

export type { Logger };
