// Stores an accepted event and decides its deliveries in one transaction, idempotent by event id.
import { sql, type Transaction } from 'kysely';
import type { Config } from '../config/config';
import type { Db } from '../db/connect';
import type { Database, Destination, DeliveryStatus } from '../db/schema';
import { matchesFilter, patternsMatchingType } from '../domain/event-match';
import { deterministicId, deliveryWorkflowId, eventWorkflowId } from '../domain/ids';
import type { EventPlan, EventWorkflowInput, PlannedDelivery } from '../workflows/contracts';
import { AUTO_DISABLED_EVENT } from '../workflows/health.contracts';

type Candidate = Pick<Destination, 'id' | 'trigger' | 'filter' | 'enabled' | 'auto_disabled_at' | 'max_attempts' | 'timeout_seconds'>;

/** The envelope filters are written against: what a receiver sees, plus the subject. */
function filterEnvelope(input: EventWorkflowInput) {
  return {
    id: input.eventId,
    type: input.type,
    timestamp: input.occurredAt,
    subject: input.subject,
    workspace_id: input.workspaceId,
    data: input.data,
  };
}

/** A destination's own webhook.auto_disabled would only be held for it until it is back: it never gets it. */
function announcesItsOwnPause(input: EventWorkflowInput, destinationId: string): boolean {
  return input.type === AUTO_DISABLED_EVENT && (input.data as { destination_id?: unknown } | null)?.destination_id === destinationId;
}

async function candidateDestinations(trx: Transaction<Database>, input: EventWorkflowInput): Promise<Candidate[]> {
  const columns = ['d.id', 'd.trigger', 'd.filter', 'd.enabled', 'd.auto_disabled_at', 'd.max_attempts', 'd.timeout_seconds'] as const;
  if (input.test) {
    return trx
      .selectFrom('destinations as d')
      .select(columns)
      .where('d.workspace_id', '=', input.workspaceId)
      .where('d.id', '=', input.test.destinationId)
      .where('d.deleted_at', 'is', null)
      .execute();
  }
  return trx
    .selectFrom('destinations as d')
    .select(columns)
    .where('d.workspace_id', '=', input.workspaceId)
    .where('d.deleted_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscriptions as s')
          .select(sql`1`.as('one'))
          .whereRef('s.destination_id', '=', 'd.id')
          .where('s.event_type', 'in', patternsMatchingType(input.type)),
      ),
    )
    .orderBy('d.id')
    .execute();
}

/** `first_match` destinations take one event per subject; the claim is a row, so it holds across workers. */
async function claimFirstMatch(trx: Transaction<Database>, input: EventWorkflowInput, destinationId: string): Promise<boolean> {
  if (input.subject === null) return true;
  const claimed = await trx
    .insertInto('first_matches')
    .values({ workspace_id: input.workspaceId, destination_id: destinationId, subject: input.subject, event_id: input.eventId })
    .onConflict((oc) => oc.columns(['destination_id', 'subject']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

async function decideStatus(trx: Transaction<Database>, input: EventWorkflowInput, destination: Candidate): Promise<DeliveryStatus> {
  if (!input.test && destination.trigger === 'first_match' && !(await claimFirstMatch(trx, input, destination.id))) {
    return 'skipped';
  }
  // Paused destinations keep their deliveries: they are held, not dropped.
  if (!input.test && (!destination.enabled || destination.auto_disabled_at !== null)) return 'held';
  return 'pending';
}

export function createPlanActivity(deps: { db: Db; config: Config; now: () => Date }) {
  return async function planEventDeliveries(input: EventWorkflowInput): Promise<EventPlan> {
    const retryWindowMs = input.test ? 0 : deps.config.delivery.retryWindowMs;
    const deliveries = await deps.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('events')
        .values({
          id: input.eventId,
          workspace_id: input.workspaceId,
          type: input.type,
          data: JSON.stringify(input.data ?? null),
          subject: input.subject,
          occurred_at: input.occurredAt,
          received_at: input.receivedAt,
          idempotency_key: input.idempotencyKey,
          is_test: input.test !== undefined,
          workflow_id: eventWorkflowId(input.eventId),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();

      if (inserted) {
        const envelope = filterEnvelope(input);
        const destinations = (await candidateDestinations(trx, input)).filter(
          (destination) =>
            input.test !== undefined ||
            (matchesFilter(destination.filter as Record<string, unknown> | null, envelope) && !announcesItsOwnPause(input, destination.id)),
        );
        const rows = [];
        for (const destination of destinations) {
          const id = deterministicId('dlv', input.eventId, destination.id);
          rows.push({
            id,
            workspace_id: input.workspaceId,
            event_id: input.eventId,
            destination_id: destination.id,
            event_type: input.type,
            status: await decideStatus(trx, input, destination),
            workflow_id: deliveryWorkflowId(id),
            is_test: input.test !== undefined,
            updated_at: deps.now(),
          });
        }
        if (rows.length > 0) {
          await trx.insertInto('deliveries').values(rows).onConflict((oc) => oc.columns(['event_id', 'destination_id']).doNothing()).execute();
        }
      }
      // On a re-run (crash after commit, duplicate ingestion) the rows already say what to start.
      return trx
        .selectFrom('deliveries as dl')
        .innerJoin('destinations as d', 'd.id', 'dl.destination_id')
        .select(['dl.id', 'dl.destination_id', 'dl.status', 'd.max_attempts', 'd.timeout_seconds'])
        .where('dl.event_id', '=', input.eventId)
        .where('dl.workspace_id', '=', input.workspaceId)
        .orderBy('dl.id')
        .execute();
    });
    const planned: PlannedDelivery[] = deliveries.map((row) => ({
      deliveryId: row.id,
      destinationId: row.destination_id,
      status: row.status,
      maxAttempts: input.test ? 1 : row.max_attempts,
      timeoutSeconds: row.timeout_seconds,
    }));
    return { deliveries: planned, retryWindowMs };
  };
}
