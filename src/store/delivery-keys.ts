// The (created_at, id) key that orders delivery lists and their cursors, in PostgreSQL's own microsecond text.
import { sql } from 'kysely';
import { InvalidInputError } from '../domain/errors';
import { isStorableInstant } from '../domain/instant';

/** A cursor key: created_at in UTC with PostgreSQL's full microsecond precision, then the id. */
export interface DeliveryKey {
  createdAt: string;
  id: string;
}

const KEY_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(.+)$/;

/*
 * JavaScript dates stop at milliseconds while created_at keeps microseconds, so the key travels as
 * PostgreSQL's own text: a Date would land between two rows of the same millisecond and skip one.
 */
export function createdAtText(column = 'created_at') {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** An ISO time compared in SQL as written: a Date would drop the microseconds a caller or cursor gave. */
export function timestamptz(iso: string) {
  return sql<Date>`${iso}::timestamptz`;
}

export function formatDeliveryKey(key: DeliveryKey): string {
  return `${key.createdAt}|${key.id}`;
}

/** The key in a cursor's text; a text that is not one of ours is refused, not sent to SQL. */
export function parseDeliveryKey(text: string): DeliveryKey {
  const match = KEY_PATTERN.exec(text);
  const createdAt = match?.[1];
  // Date normalises 2025-02-30 to March: a timestamp that does not survive the trip is not one we issued.
  // One outside the stored years (0000) would reach PostgreSQL and fail there.
  const parsed = createdAt === undefined ? Number.NaN : Date.parse(createdAt);
  if (!match || !createdAt || !isStorableInstant(createdAt) || new Date(parsed).toISOString().slice(0, 19) !== createdAt.slice(0, 19)) {
    throw new InvalidInputError('invalid_cursor', 'cursor is not a value returned as next_cursor by this list', [
      { path: 'query.cursor', message: 'unrecognised cursor' },
    ]);
  }
  return { createdAt, id: match[2]! };
}
