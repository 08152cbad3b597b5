// The rules of ordered lanes: which deliveries stand in a lane, what holds a lane, and how long a delivery waits for its turn before it looks again.
/*
 * A destination with `ordering: "subject"` delivers each subject's events one at a time, in the order they were
 * accepted (the events' seq). A delivery goes only when no earlier delivery of its lane is still unfinished and no
 * earlier event of its subject is still waiting to be planned. A delivery that may not go waits for a signal, sent
 * when the one ahead of it reaches a final outcome; the timer beside it is a safety net, never the pace.
 */
import type { DeliveryStatus } from './delivery';

export const ORDERINGS = ['none', 'subject'] as const;
export type DestinationOrdering = (typeof ORDERINGS)[number];

export interface Lane {
  subject: string;
  /** The event's place in the order of acceptance. */
  seq: number;
}

/**
 * A delivery's lane, or null when it stands in none: the destination is not ordered, the event names no subject (it
 * has no order to keep), was accepted before lanes existed, or is a test send (a person checking the destination).
 */
export function laneOf(ordering: DestinationOrdering, event: { subject: string | null; seq: number | null }, isTest: boolean): Lane | null {
  if (!keepsOrder(ordering, isTest) || event.subject === null || event.seq === null) return null;
  return { subject: event.subject, seq: event.seq };
}

/** Whether a destination's deliveries of this kind keep an order at all (the half of laneOf known before the event's place). */
export function keepsOrder(ordering: DestinationOrdering, isTest: boolean): boolean {
  return ordering === 'subject' && !isTest;
}

/**
 * An earlier delivery in one of these states still holds its lane. A failed delivery lets the lane go on (a receiver
 * that refused one event for good does not stop a contact's later updates); a manual retry of it goes when the lane
 * ahead of it is clear, as late as it is.
 */
export const LANE_HOLDING_STATUSES = ['pending', 'queued', 'delivering', 'held'] as const satisfies readonly DeliveryStatus[];

/** Whether this status ends the delivery's hold on its lane, so the next one is told its turn has come. */
export function releasesLane(status: DeliveryStatus): boolean {
  return !(LANE_HOLDING_STATUSES as readonly DeliveryStatus[]).includes(status);
}

/** What a delivery found ahead of it in its lane. */
export type LaneBlocker = 'delivery' | 'event';

/**
 * How long a blocked delivery waits before it looks again if no signal comes. Behind an earlier delivery the signal
 * is the pace, so the timer only catches one lost with Temporal away; behind an event not yet planned, there is no one
 * to send a signal (planning takes milliseconds), so it looks again soon.
 */
export function laneWaitMs(blocker: LaneBlocker): number {
  return blocker === 'event' ? EVENT_AHEAD_WAIT_MS : DELIVERY_AHEAD_WAIT_MS;
}

const EVENT_AHEAD_WAIT_MS = 1_000;
const DELIVERY_AHEAD_WAIT_MS = 2 * 60_000;

/**
 * A delivery blocked in its event's workflow has no workflow of its own yet, so a turn passed before that workflow
 * starts reaches no one: the new workflow looks again after at most this long.
 */
export const FIRST_LANE_WAIT_MS = 1_000;
