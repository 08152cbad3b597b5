// The delivery list: its filters, its (created_at, id) cursor, and the one query that reads a page.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { Delivery } from '../db/schema';
import { deliveryStatusSchema } from './delivery.schemas';
import { ApiError } from './errors';
import { z } from './openapi';
import { decodeCursor, encodeCursor, paginationQuery, pageOf, type Page } from './pagination';

const isoTime = (description: string) => z.iso.datetime({ offset: true }).optional().openapi({ description });

export const deliveryListQuery = paginationQuery.extend({
  destination_id: z.string().max(64).optional().openapi({ description: 'Only deliveries to this destination.' }),
  event_id: z.string().max(64).optional().openapi({ description: 'Only deliveries of this event.' }),
  status: deliveryStatusSchema.optional().openapi({ description: 'Only deliveries in this status.' }),
  event_type: z.string().max(256).optional().openapi({ description: 'Only deliveries of this exact event type.' }),
  since: isoTime('Only deliveries created at or after this time (inclusive).'),
  until: isoTime('Only deliveries created before this time (exclusive).'),
  is_test: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'true: only test sends; false: only real deliveries; omit for both.' }),
});

export type DeliveryListQuery = z.output<typeof deliveryListQuery>;

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

function encodeDeliveryKey(key: DeliveryKey): string {
  return `${key.createdAt}|${key.id}`;
}

/** The opaque cursor that continues after `key`. */
export function deliveryCursor(key: DeliveryKey): string {
  return encodeCursor(encodeDeliveryKey(key));
}

/** The key behind a cursor; a cursor that decodes but is not one of ours is refused, not sent to SQL. */
export function decodeDeliveryKey(cursor: string | undefined): DeliveryKey | undefined {
  const text = decodeCursor(cursor);
  if (text === undefined) return undefined;
  const match = KEY_PATTERN.exec(text);
  const createdAt = match?.[1];
  // Date normalises 2025-02-30 to March: a timestamp that does not survive the trip is not one we issued.
  const parsed = createdAt === undefined ? Number.NaN : Date.parse(createdAt);
  if (!match || !createdAt || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 19) !== createdAt.slice(0, 19)) {
    throw new ApiError(400, 'invalid_cursor', 'cursor is not a value returned as next_cursor by this list', [
      { path: 'query.cursor', message: 'unrecognised cursor' },
    ]);
  }
  return { createdAt, id: match[2]! };
}

/** One page, newest first; workspace-scoped, so another workspace's ids in a filter simply match nothing. */
export async function listDeliveries(db: Db, workspaceId: string, query: DeliveryListQuery): Promise<Page<Delivery>> {
  const after = decodeDeliveryKey(query.cursor);
  let select = db.selectFrom('deliveries').selectAll().select(createdAtText().as('cursor_created_at')).where('workspace_id', '=', workspaceId);
  if (query.destination_id !== undefined) select = select.where('destination_id', '=', query.destination_id);
  if (query.event_id !== undefined) select = select.where('event_id', '=', query.event_id);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.event_type !== undefined) select = select.where('event_type', '=', query.event_type);
  if (query.since !== undefined) select = select.where('created_at', '>=', timestamptz(query.since));
  if (query.until !== undefined) select = select.where('created_at', '<', timestamptz(query.until));
  if (query.is_test !== undefined) select = select.where('is_test', '=', query.is_test);
  if (after !== undefined) {
    select = select.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(timestamptz(after.createdAt), after.id)),
    );
  }
  const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit + 1).execute();
  const page = pageOf(rows, query.limit, (row) => encodeDeliveryKey({ createdAt: row.cursor_created_at, id: row.id }));
  return { data: page.data.map(({ cursor_created_at: _key, ...row }) => row), next_cursor: page.next_cursor };
}
