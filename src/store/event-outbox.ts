// The ingestion outbox in PostgreSQL: an event is accepted by one commit, relays lease it to start its workflow, planning removes it.
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { EventWorkflowInput } from '../contracts/delivery';
import { insertEventRow } from './events';

/** The channel a commit wakes the relays on; they poll as well, so a lost notification only costs a poll interval. */
export const OUTBOX_CHANNEL = 'hookline_event_outbox';

export interface EventToAccept {
  event: EventWorkflowInput;
  /** The task queue whose workers' relays start it. */
  taskQueue: string;
  /** What the request asked for, when it came with an Idempotency-Key. */
  fingerprint: string | null;
  /** The accepting request's trace context, for the start to continue. */
  traceCarrier?: Record<string, string> | null;
  /** A caller that starts the workflow itself (a test send) keeps the relays off it this long, then they take over. */
  relayAfterMs?: number;
}

export type Acceptance =
  | { accepted: true }
  /** The event id exists already (the same Idempotency-Key): `fingerprint` is what the first request asked for. */
  | { accepted: false; fingerprint: string | null };

/**
 * One statement, so the event and its outbox row commit together or not at all: the event row (idempotent by id,
 * which a key makes deterministic), its outbox row, and the notification (delivered at commit) that wakes a relay.
 */
export async function acceptEvent(db: Db, accepting: EventToAccept): Promise<Acceptance> {
  const ev = accepting.event;
  const delayMs = accepting.relayAfterMs ?? 0;
  const result = await sql<{ inserted: boolean; fingerprint: string | null }>`
    WITH ev AS (${insertEventRow(ev, { fingerprint: accepting.fingerprint })} RETURNING id, subject, seq),
    outbox AS (
      INSERT INTO event_outbox (event_id, workspace_id, task_queue, test_destination_id, subject, event_seq, trace_carrier, available_at)
      SELECT ev.id, ${ev.workspaceId}, ${accepting.taskQueue}, ${ev.test?.destinationId ?? null}, ev.subject, ev.seq,
             ${accepting.traceCarrier ? JSON.stringify(accepting.traceCarrier) : null}::jsonb, now() + make_interval(secs => ${delayMs / 1000})
        FROM ev
      RETURNING event_id
    ),
    woken AS (SELECT pg_notify(${OUTBOX_CHANNEL}, '') FROM outbox)
    SELECT true AS inserted, null::text AS fingerprint FROM outbox, (SELECT count(*) FROM woken) AS w
    UNION ALL
    SELECT false, e.request_fingerprint FROM events e
     WHERE e.id = ${ev.eventId} AND e.workspace_id = ${ev.workspaceId} AND NOT EXISTS (SELECT 1 FROM ev)`.execute(db);
  const row = result.rows[0];
  if (row?.inserted) return { accepted: true };
  if (row) return { accepted: false, fingerprint: row.fingerprint };
  // The conflicting row was committed by a concurrent request after this statement's snapshot: read it now.
  const first = await db
    .selectFrom('events')
    .select('request_fingerprint')
    .where('id', '=', ev.eventId)
    .where('workspace_id', '=', ev.workspaceId)
    .executeTakeFirst();
  return { accepted: false, fingerprint: first?.request_fingerprint ?? null };
}

/**
 * Takes back an event its caller could not start and will answer as not accepted (a test send while Temporal is
 * away); false when it is no longer waiting (a relay or its workflow got to it first), and then it stays.
 */
export async function withdrawEvent(db: Db, workspaceId: string, eventId: string): Promise<boolean> {
  const result = await sql<{ id: string }>`
    WITH gone AS (DELETE FROM event_outbox WHERE event_id = ${eventId} AND workspace_id = ${workspaceId} RETURNING event_id)
    DELETE FROM events e USING gone WHERE e.id = gone.event_id RETURNING e.id`.execute(db);
  return result.rows.length > 0;
}

/** A leased event, as its workflow's start carries it. */
export interface LeasedEvent {
  input: EventWorkflowInput;
  traceCarrier: Record<string, string> | null;
  startAttempts: number;
}

export interface LeaseRequest {
  taskQueue: string;
  limit: number;
  leaseMs: number;
  /** Where the round of workspaces resumes: the last workspace the previous claim served ('' to start over). */
  afterWorkspace: string;
}

/**
 * Leases up to `limit` events that are due, fairly: it steps through the workspaces with due events after
 * `afterWorkspace` (an index skip, one probe per workspace) and takes an equal share of each one's oldest, so one
 * workspace's flood of events never queues another's behind it. Other relays skip what is claimed (SKIP LOCKED while
 * claiming, the lease after), so each start is one relay's at a time; a relay that dies leaves them when it lapses.
 */
export async function leaseDueEvents(db: Db, request: LeaseRequest): Promise<LeasedEvent[]> {
  const { taskQueue, limit } = request;
  const result = await sql<{
    id: string;
    workspace_id: string;
    type: string;
    data: unknown;
    subject: string | null;
    occurred_at: Date;
    received_at: Date;
    idempotency_key: string | null;
    test_destination_id: string | null;
    trace_carrier: Record<string, string> | null;
    start_attempts: number;
  }>`
    WITH RECURSIVE ws(workspace_id, n) AS (
      SELECT (SELECT o.workspace_id FROM event_outbox o
               WHERE o.task_queue = ${taskQueue} AND o.workspace_id > ${request.afterWorkspace} AND o.available_at <= now()
               ORDER BY o.workspace_id LIMIT 1), 1
      UNION ALL
      SELECT (SELECT o.workspace_id FROM event_outbox o
               WHERE o.task_queue = ${taskQueue} AND o.workspace_id > ws.workspace_id AND o.available_at <= now()
               ORDER BY o.workspace_id LIMIT 1), ws.n + 1
        FROM ws WHERE ws.workspace_id IS NOT NULL AND ws.n < ${limit}
    ),
    share AS (SELECT greatest(1, ceil(${limit}::float8 / greatest(1, count(workspace_id))))::int AS per FROM ws),
    due AS (
      SELECT picked.event_id FROM ws CROSS JOIN LATERAL (
        SELECT o.event_id FROM event_outbox o
         WHERE o.task_queue = ${taskQueue} AND o.workspace_id = ws.workspace_id AND o.available_at <= now()
         ORDER BY o.available_at LIMIT (SELECT per FROM share) FOR UPDATE SKIP LOCKED
      ) AS picked
      WHERE ws.workspace_id IS NOT NULL
      LIMIT ${limit}
    ),
    leased AS (
      UPDATE event_outbox o SET available_at = now() + make_interval(secs => ${request.leaseMs / 1000}), start_attempts = o.start_attempts + 1
        FROM due WHERE o.event_id = due.event_id
      RETURNING o.event_id, o.test_destination_id, o.trace_carrier, o.start_attempts
    )
    SELECT e.id, e.workspace_id, e.type, e.data, e.subject, e.occurred_at, e.received_at, e.idempotency_key,
           l.test_destination_id, l.trace_carrier, l.start_attempts
      FROM leased l JOIN events e ON e.id = l.event_id
     ORDER BY e.workspace_id, e.received_at`.execute(db);
  return result.rows.map((row) => ({
    startAttempts: row.start_attempts,
    traceCarrier: row.trace_carrier,
    input: {
      eventId: row.id,
      workspaceId: row.workspace_id,
      type: row.type,
      data: row.data,
      subject: row.subject,
      occurredAt: row.occurred_at.toISOString(),
      receivedAt: row.received_at.toISOString(),
      idempotencyKey: row.idempotency_key,
      ...(row.test_destination_id !== null ? { test: { destinationId: row.test_destination_id } } : {}),
    },
  }));
}

/** Of these events, the ones still waiting to be planned (their workflow has not taken them out of the outbox yet). */
export async function stillWaiting(db: Db, eventIds: readonly string[]): Promise<string[]> {
  if (eventIds.length === 0) return [];
  const rows = await db.selectFrom('event_outbox').select('event_id').where('event_id', 'in', eventIds).execute();
  return rows.map((row) => row.event_id);
}

/** Moves leased events' next start to `delayMs` from now (Temporal away, or a workflow started and not planned yet). */
export async function deferEvents(db: Db, delays: { eventId: string; delayMs: number }[]): Promise<void> {
  if (delays.length === 0) return;
  await sql`
    UPDATE event_outbox o SET available_at = now() + make_interval(secs => d.delay_ms / 1000.0)
      FROM jsonb_to_recordset(${JSON.stringify(delays.map((d) => ({ event_id: d.eventId, delay_ms: d.delayMs })))}::jsonb) AS d(event_id text, delay_ms integer)
     WHERE o.event_id = d.event_id`.execute(db);
}

export interface OutboxDepth {
  /** Accepted events not planned yet. */
  waiting: number;
  /** Seconds since the oldest of them was accepted; 0 when none waits. */
  oldestAgeSeconds: number;
}

export async function outboxDepth(db: Db, taskQueue: string): Promise<OutboxDepth> {
  const row = await db
    .selectFrom('event_outbox')
    .where('task_queue', '=', taskQueue)
    .select([sql<string>`count(*)`.as('n'), sql<number | null>`extract(epoch FROM now() - min(enqueued_at))::float8`.as('age')])
    .executeTakeFirst();
  return { waiting: Number(row?.n ?? 0), oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
}
