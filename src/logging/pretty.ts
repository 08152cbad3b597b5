// `npm run dev`'s log format: time, level and the message, one line each; the fields stay in production's JSON.
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';

/*
 * Messages are written to read on their own ("contact.created → Local receiver: 200 in 12 ms (attempt 1 of 8)",
 * "POST /v1/events 202 in 9 ms"), so dev hides the structured fields; an error keeps its message.
 * Synchronous, so lines interleave in order with the dev banner printed by console.log.
 */
export function prettyDevStream(): DestinationStream {
  return pretty({
    sync: true,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
    hideObject: true,
    messageFormat: (log, messageKey) => {
      const message = String(log[messageKey] ?? '');
      const error = log.err as { message?: string } | undefined;
      return error?.message ? `${message}: ${error.message}` : message;
    },
  });
}
