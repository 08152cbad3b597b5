// Captures what a Hookline logger writes, line by line, so a spec can read its logs as JSON.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging/logger';

export interface LogCapture {
  logger: Logger;
  /** Every line written so far, exactly as written. */
  text(): string;
  /** Every line parsed as JSON; a line that is not JSON fails the parse, and so the spec. */
  entries(): Record<string, unknown>[];
}

export function captureLogs(level = 'info'): LogCapture {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level, name: 'hookline-test', destination });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    entries: () =>
      text()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
