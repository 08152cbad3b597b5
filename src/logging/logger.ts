// Structured logs with pino; credentials and secrets are redacted wherever they might appear.
import pino, { type Logger } from 'pino';

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

export function createLogger(options: { level: string; name: string }): Logger {
  return pino({ name: options.name, level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

export type { Logger };
