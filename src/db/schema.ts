// The typed shape of Hookline's PostgreSQL tables, as kysely sees them.
import type { ColumnType, Generated, Selectable, Updateable } from 'kysely';
import type { DeliveryStatus } from '../domain/delivery';
import type { DestinationTrigger, HttpMethod, SignatureScheme } from '../domain/destination';
import type { DestinationOrdering } from '../domain/ordered-lanes';
import type { OAuthClientAuth } from '../domain/oauth';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp column the database fills in on insert (default now()) that updates may set. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface WorkspacesTable {
  id: string;
  name: string;
  /** Origins allowed to frame the customer portal (CSP frame-ancestors). */
  portal_frame_ancestors: ColumnType<string[], string | undefined, string>;
  /** How long event data and request/response bodies are kept, then how long the records without them. */
  payload_retention_seconds: Generated<number>;
  record_retention_seconds: Generated<number>;
  created_at: CreatedAt;
}

export interface PortalSessionsTable {
  id: string;
  workspace_id: string;
  /** null: the whole workspace; a list narrows the session to those destinations. */
  destination_ids: Json<string[]> | null;
  event_types: Json<string[]> | null;
  read_only: boolean;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  name: string | null;
  /** The first characters of the key, so a person can tell keys apart without the secret. */
  prefix: string;
  key_hash: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface DestinationsTable {
  id: string;
  workspace_id: string;
  name: string;
  url: string;
  method: HttpMethod;
  headers: Json<Record<string, string>>;
  query_params: Json<Record<string, string>>;
  body_template: Json<unknown> | null;
  timeout_seconds: number;
  enabled: boolean;
  trigger: DestinationTrigger;
  filter: Json<Record<string, unknown>> | null;
  max_attempts: number;
  failure_threshold: number;
  signature_scheme: SignatureScheme;
  signature_header: string | null;
  /** AES-256-GCM sealed signing secret; never stored in plain text. */
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Timestamp | null;
  /** Hex scheme, during a rotation's grace period: the receiver last accepted the old secret, so sign with that first. */
  receiver_holds_previous_secret: Generated<boolean>;
  /** Sealed `whsk_` ed25519 key (scheme standard_webhooks_ed25519), made when first needed; its `whpk_` public key in plain. */
  signing_key_sealed: string | null;
  public_key: string | null;
  /** The key before the last rotation: it keeps signing (v1a) until the grace period ends. */
  previous_signing_key_sealed: string | null;
  previous_public_key: string | null;
  previous_signing_key_expires_at: Timestamp | null;
  /** Basic auth sent with every request; the password sealed like the signing secret. */
  basic_auth_username: string | null;
  basic_auth_password_sealed: string | null;
  /** OAuth 2.0 client credentials (all set, or none): the token sent as Bearer, the secret sealed. */
  oauth_token_url: string | null;
  oauth_client_id: string | null;
  oauth_client_secret_sealed: string | null;
  oauth_scope: string | null;
  oauth_audience: string | null;
  oauth_client_auth: OAuthClientAuth | null;
  /** Mutual TLS (certificate and key set, or neither): the PEM certificate and CA in plain, the key sealed; the expiry for its metric. */
  client_certificate: string | null;
  client_key_sealed: string | null;
  client_ca: string | null;
  client_certificate_expires_at: Timestamp | null;
  auto_disabled_at: Timestamp | null;
  auto_disabled_reason: string | null;
  consecutive_failures: Generated<number>;
  health_version: Generated<number>;
  auto_recover: Generated<boolean>;
  /** Send W3C `traceparent` with each request, so the receiver's tracing joins Hookline's. */
  trace_context: Generated<boolean>;
  /** The rate limit (all three set, or none): at most `requests` per `per_seconds`, `burst` more after a quiet spell. */
  rate_limit_requests: number | null;
  rate_limit_per_seconds: number | null;
  rate_limit_burst: number | null;
  max_concurrent_requests: number | null;
  /** The receiver pushed back (429, 503 with Retry-After) until then; and why, for the console. */
  throttled_until: Timestamp | null;
  throttle_reason: string | null;
  /** 'subject': each subject's deliveries go one at a time, in the order their events were accepted. */
  ordering: Generated<DestinationOrdering>;
  /** With ordering 'subject': a subject's events within this window are one request, the newest; null: off. */
  coalesce_seconds: number | null;
  deleted_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SubscriptionsTable {
  workspace_id: string;
  destination_id: string;
  /** An exact event type name or a wildcard such as `contact.*` or `*`. */
  event_type: string;
  created_at: CreatedAt;
}

export interface EventTypesTable {
  workspace_id: string;
  name: string;
  description: string;
  schema: Json<Record<string, unknown>> | null;
  example: Json<unknown> | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EventsTable {
  id: string;
  workspace_id: string;
  type: string;
  data: Json<unknown>;
  subject: string | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
  idempotency_key: string | null;
  is_test: Generated<boolean>;
  workflow_id: string;
  /** Set when planning refused the event for good; it then has no deliveries. */
  rejected_reason: Generated<string | null>;
  /** What the request with an Idempotency-Key asked for: a reuse of the key with another body is refused. */
  request_fingerprint: string | null;
  /** The order of acceptance (events_seq); null on events accepted before ordered lanes. */
  seq: Generated<number | null>;
  /** When its data and its attempts' bodies were purged (past the workspace's payload window). */
  payload_expired_at: Timestamp | null;
  /** When its subject's data was erased on request: data, subject and bodies gone. */
  erased_at: Timestamp | null;
}

/** An erasure of one subject's data: a durable job, audited by who asked and how much it removed, never by the subject. */
export interface ErasuresTable {
  id: string;
  workspace_id: string;
  subject_hash: string;
  status: 'running' | 'completed' | 'failed';
  requested_by: string;
  request_id: string | null;
  events_erased: Generated<number>;
  deliveries_cancelled: Generated<number>;
  workflows_deleted: Generated<number>;
  error: string | null;
  created_at: CreatedAt;
  completed_at: Timestamp | null;
}

/** An accepted event whose workflow has not planned it yet; a relay starts the workflow, planning deletes the row. */
export interface EventOutboxTable {
  event_id: string;
  workspace_id: string;
  task_queue: string;
  test_destination_id: string | null;
  trace_carrier: Json<Record<string, string>> | null;
  enqueued_at: Generated<Timestamp>;
  available_at: Generated<Timestamp>;
  start_attempts: Generated<number>;
  /** The event's subject and place, so a later event of its subject waits for it in an ordered lane. */
  subject: string | null;
  event_seq: number | null;
}

export interface DeliveriesTable {
  id: string;
  workspace_id: string;
  event_id: string;
  destination_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempt_count: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Timestamp | null;
  workflow_id: string;
  is_test: Generated<boolean>;
  /** While queued: what it waits for (rate_limit, concurrency, throttled). */
  queue_reason: string | null;
  /** For an ordered destination's delivery of an event with a subject: its lane and its place in it (the event's seq). */
  lane_subject: string | null;
  lane_seq: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  completed_at: Timestamp | null;
}

/** Per controlled or pushed-back destination: the state of domain/delivery-control.ts, one row locked per decision. */
/** The access token of a destination's OAuth client, shared by every worker; renewed once past `renew_at`. */
export interface DestinationTokensTable {
  destination_id: string;
  workspace_id: string;
  settings_key: string;
  access_token_sealed: string;
  renew_at: Timestamp;
  fetched_at: Generated<Timestamp>;
  /** How many times it was fetched: what the benchmark reads to show one fetch per lifetime. */
  fetches: Generated<number>;
}

export interface DestinationPacingTable {
  destination_id: string;
  workspace_id: string;
  tat: DefaultedTimestamp;
  queue_end: DefaultedTimestamp;
  queue_reason: string | null;
  throttled_until: Timestamp | null;
  rate_share: Generated<number>;
  share_since: Timestamp | null;
  adaptive_base_rps: number | null;
  mean_send_ms: Generated<number>;
  updated_at: DefaultedTimestamp;
}

/** An open request to a destination with a concurrency cap. */
export interface DestinationLeasesTable {
  destination_id: string;
  delivery_id: string;
  workspace_id: string;
  expires_at: Timestamp;
}

export interface AttemptsTable {
  workspace_id: string;
  delivery_id: string;
  attempt_number: number;
  started_at: Timestamp;
  duration_ms: number;
  request_method: string;
  request_url: string;
  request_headers: Json<Record<string, string>>;
  response_status: number | null;
  response_headers: Json<Record<string, string>> | null;
  response_excerpt: string | null;
  error_class: string | null;
  error_message: string | null;
}

/** Which subject already received a `first_match` destination's delivery. */
export interface FirstMatchesTable {
  workspace_id: string;
  destination_id: string;
  subject: string;
  event_id: string;
  created_at: CreatedAt;
}

export interface Database {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  destinations: DestinationsTable;
  subscriptions: SubscriptionsTable;
  event_types: EventTypesTable;
  events: EventsTable;
  erasures: ErasuresTable;
  event_outbox: EventOutboxTable;
  deliveries: DeliveriesTable;
  destination_pacing: DestinationPacingTable;
  destination_tokens: DestinationTokensTable;
  destination_leases: DestinationLeasesTable;
  attempts: AttemptsTable;
  first_matches: FirstMatchesTable;
  portal_sessions: PortalSessionsTable;
}

export type Workspace = Selectable<WorkspacesTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type Destination = Selectable<DestinationsTable>;
export type DestinationUpdate = Updateable<DestinationsTable>;
export type EventType = Selectable<EventTypesTable>;
export type EventRow = Selectable<EventsTable>;
export type Delivery = Selectable<DeliveriesTable>;
export type Attempt = Selectable<AttemptsTable>;
export type PortalSession = Selectable<PortalSessionsTable>;
export type Erasure = Selectable<ErasuresTable>;
