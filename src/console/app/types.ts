// The API's JSON as the console reads it: the types @hookline/client generates from the OpenAPI document, under the console's names.
import type { components } from '@hookline/client';

type Schemas = components['schemas'];

export type Destination = Schemas['Destination'];
export type Ingestion = Schemas['Ingestion'];
export type DestinationStatus = Destination['status'];
export type DestinationStats = Schemas['DestinationStats'];
export type DestinationHealth = Schemas['DestinationHealth'];
export type DestinationQueue = Schemas['DestinationQueue'];
export type RateLimit = NonNullable<Destination['rate_limit']>;
export type Throttle = NonNullable<Destination['throttle']>;
export type DeliverySummary = Schemas['DeliverySummary'];
export type Delivery = Schemas['Delivery'];
export type QueueReason = NonNullable<DeliverySummary['queue_reason']>;
export type Attempt = Schemas['Attempt'];
export type EventType = Schemas['EventType'];
export type EventRecord = Schemas['Event'];
export type TestResult = Schemas['TestSendResult'];
export type RenderPreview = Schemas['RenderPreview'];
export type Workspace = Schemas['Workspace'];
export type ApiKey = Schemas['ApiKey'];
export type PortalSession = Schemas['PortalSession'];
export type Retention = Schemas['Retention'];
export type Erasure = Schemas['Erasure'];

/** Every list answers in this shape (the document spells one per resource: DestinationPage, DeliveryPage …). */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
