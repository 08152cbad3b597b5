// What a portal session may see and do: its destinations, its event types, read-only or not. Pure rules, no I/O.
import { TEST_EVENT_TYPE } from './event-catalog';
import { ForbiddenError, NotFoundError, RuleViolationError } from './errors';

export interface PortalScope {
  sessionId: string;
  /** null: every destination of the workspace. */
  destinationIds: string[] | null;
  /** null: every event type. */
  eventTypes: string[] | null;
  readOnly: boolean;
}

/** A workspace key has no portal scope: `null` below always means "sees everything". */
export type Scope = PortalScope | null;

export function seesDestination(scope: Scope, destinationId: string): boolean {
  return scope?.destinationIds == null || scope.destinationIds.includes(destinationId);
}

/** webhook.test is what a test send carries, so a session narrowed to other types still sees its own tests. */
export function seesEventType(scope: Scope, type: string): boolean {
  return scope?.eventTypes == null || type === TEST_EVENT_TYPE || scope.eventTypes.includes(type);
}

/** Outside the scope is answered exactly like another workspace's id: not found. */
export function assertDestinationVisible(scope: Scope, destinationId: string): void {
  if (!seesDestination(scope, destinationId)) throw new NotFoundError('Destination');
}

export function assertDeliveryVisible(scope: Scope, delivery: { destination_id: string; event_type: string }): void {
  if (!seesDestination(scope, delivery.destination_id) || !seesEventType(scope, delivery.event_type)) throw new NotFoundError('Delivery');
}

export function assertEventTypeVisible(scope: Scope, type: string): void {
  if (!seesEventType(scope, type)) throw new NotFoundError('Event type');
}

/** A session narrowed to some event types can subscribe only to those names (no wildcards reaching beyond them). */
export function assertSubscriptionsAllowed(scope: Scope, eventTypes: readonly string[], where = 'body.event_types'): void {
  if (scope?.eventTypes == null) return;
  const outside = eventTypes.filter((type) => !scope.eventTypes!.includes(type));
  if (outside.length > 0) {
    throw new RuleViolationError('outside_portal_scope', `This portal session may subscribe only to ${scope.eventTypes.join(', ')}`, [
      { path: where, message: `not in this session's event types: ${outside.join(', ')}` },
    ]);
  }
}

/** A session narrowed to given destinations manages those; a new one would fall outside what it can see. */
export function assertMayCreateDestination(scope: Scope): void {
  if (scope?.destinationIds != null) {
    throw new ForbiddenError('outside_portal_scope', 'This portal session manages the destinations it was opened for and cannot create others');
  }
}

/** A read-only session (a status page embedded for customers) may look but not change anything. */
export function assertMayWrite(scope: Scope): void {
  if (scope?.readOnly) throw new ForbiddenError('portal_read_only', 'This portal session is read-only');
}

/** The event types a session's lists are narrowed to (its own plus webhook.test), or null for all. */
export function visibleEventTypes(scope: Scope): string[] | null {
  return scope?.eventTypes == null ? null : [...new Set([...scope.eventTypes, TEST_EVENT_TYPE])];
}
