// Everything one attempt needs (the delivery, its destination's settings and secrets, the event): read, or assembled from planning's reads.
import type { Db } from '../db/connect';

/** What an attempt needs of its destination; planning reads the same columns, so a first attempt needs no read of its own. */
export const ATTEMPT_DESTINATION_COLUMNS = [
  'd.name',
  'd.url',
  'd.method',
  'd.headers',
  'd.query_params',
  'd.body_template',
  'd.timeout_seconds',
  'd.signature_scheme',
  'd.signature_header',
  'd.secret_sealed',
  'd.previous_secret_sealed',
  'd.previous_secret_expires_at',
  'd.receiver_holds_previous_secret',
  'd.signing_key_sealed',
  'd.previous_signing_key_sealed',
  'd.previous_signing_key_expires_at',
  'd.basic_auth_username',
  'd.basic_auth_password_sealed',
  'd.oauth_token_url',
  'd.oauth_client_id',
  'd.oauth_client_secret_sealed',
  'd.oauth_scope',
  'd.oauth_audience',
  'd.oauth_client_auth',
  'd.client_certificate',
  'd.client_key_sealed',
  'd.client_ca',
  'd.deleted_at',
  'd.enabled',
  'd.auto_disabled_at',
  'd.trace_context',
  'd.rate_limit_requests',
  'd.rate_limit_per_seconds',
  'd.rate_limit_burst',
  'd.max_concurrent_requests',
  'd.throttled_until',
  'd.ordering',
  'd.coalesce_seconds',
] as const;

const ATTEMPT_CONTEXT_COLUMNS = [
  'dl.id as delivery_id',
  'dl.workspace_id',
  'dl.destination_id',
  'dl.status',
  'dl.is_test',
  'dl.lane_subject',
  'dl.lane_seq',
  'dl.queue_reason',
  'dl.next_attempt_at',
  ...ATTEMPT_DESTINATION_COLUMNS,
  'e.id as event_id',
  'e.type as event_type',
  'e.data',
  'e.subject',
  'e.occurred_at',
  'e.received_at',
  'e.erased_at',
] as const;

function attemptContexts(db: Db) {
  return db
    .selectFrom('deliveries as dl')
    .innerJoin('destinations as d', 'd.id', 'dl.destination_id')
    .innerJoin('events as e', 'e.id', 'dl.event_id')
    .select(ATTEMPT_CONTEXT_COLUMNS);
}

/** Everything one attempt needs: the delivery, its destination's settings and secrets, and the event. */
export async function loadAttemptContext(db: Db, workspaceId: string | undefined, deliveryId: string) {
  let query = attemptContexts(db).where('dl.id', '=', deliveryId);
  // Attempts scheduled by workflows started before inputs carried the workspace have only the (globally unique) delivery id.
  if (workspaceId !== undefined) query = query.where('dl.workspace_id', '=', workspaceId);
  return query.executeTakeFirst();
}

/** The contexts of one event's first attempts, in one query however wide its fan-out. */
export async function loadAttemptContexts(db: Db, workspaceId: string, eventId: string, deliveryIds: readonly string[]): Promise<Map<string, AttemptContext>> {
  if (deliveryIds.length === 0) return new Map();
  const rows = await attemptContexts(db)
    .where('dl.workspace_id', '=', workspaceId)
    .where('dl.event_id', '=', eventId)
    .where('dl.id', 'in', deliveryIds)
    .execute();
  return new Map(rows.map((row) => [row.delivery_id, row]));
}

export type AttemptContext = NonNullable<Awaited<ReturnType<typeof loadAttemptContext>>>;

type DestinationColumns = { [column in (typeof ATTEMPT_DESTINATION_COLUMNS)[number] extends `d.${infer name}` ? name : never]: AttemptContext[column] };

/**
 * The same context from what planning has just read and written: the destination (the columns above), the delivery
 * row it inserted and the event row the statement returned, so a fresh event's first attempts need no read of their own.
 */
export function assembleAttemptContext(
  destination: DestinationColumns,
  delivery: Pick<
    AttemptContext,
    'delivery_id' | 'workspace_id' | 'destination_id' | 'status' | 'is_test' | 'lane_subject' | 'lane_seq' | 'queue_reason' | 'next_attempt_at'
  >,
  event: { id: string; type: string; data: unknown; subject: string | null; occurred_at: Date; received_at: Date },
): AttemptContext {
  const settings = Object.fromEntries(ATTEMPT_DESTINATION_COLUMNS.map((column) => [column.slice(2), destination[column.slice(2) as keyof DestinationColumns]]));
  return {
    ...(settings as DestinationColumns),
    ...delivery,
    event_id: event.id,
    event_type: event.type,
    data: event.data as AttemptContext['data'],
    subject: event.subject,
    occurred_at: event.occurred_at,
    received_at: event.received_at,
    // Planning has just read the event: an erasure after that is seen by the row's delivery status instead.
    erased_at: null,
  };
}
