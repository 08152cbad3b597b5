// Routes the Temporal SDK's logs (its own and, forwarded, the Rust core's) into pino, as JSON with Hookline's fields.
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from 'pino';
import { FailureType } from '../contracts/delivery';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

// Every delivery failure the attempt activity raises on purpose; its own log line already tells the story.
const EXPECTED_FAILURES = new Set<string>(Object.values(FailureType));

function isExpectedFailure(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && EXPECTED_FAILURES.has(type);
}

/**
 * The SDK logs each failed activity at WARN with the whole failure (about 30 lines of text before this) and a
 * task token; here a token is never logged, and a delivery failure Hookline expects drops to DEBUG.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const { taskToken: _taskToken, error, ...fields } = meta ?? {};
    let target = LEVELS[level] ?? 'info';
    if (message === 'Activity failed' && isExpectedFailure(error)) target = 'debug';
    if (!this.logger.isLevelEnabled(target)) return;
    this.logger[target]({ ...fields, ...(error !== undefined ? { err: error } : {}) }, message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
