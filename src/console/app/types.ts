// The API's JSON as the console reads it (the server's zod schemas are the source of truth; this is their client view).

export type DestinationStatus = 'active' | 'inactive' | 'auto_disabled';

export interface Destination {
  id: string;
  name: string;
  url: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'GET';
  headers: Record<string, string>;
  query_params: Record<string, string>;
  body_template: unknown;
  timeout_seconds: number;
  enabled: boolean;
  status: DestinationStatus;
  trigger: 'every_update' | 'first_match';
  filter: Record<string, unknown> | null;
  max_attempts: number;
  failure_threshold: number;
  auto_recover: boolean;
  signature_scheme: 'standard_webhooks' | 'hmac_sha256_hex';
  signature_header: string | null;
  event_types: string[];
  auto_disabled_at: string | null;
  auto_disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface Counts {
  deliveries: number;
  succeeded: number;
  failed: number;
  success_rate: number | null;
}

export interface DestinationStats extends Counts {
  last_24h: Counts;
  last_delivery: { id: string; status: string; status_code: number | null; error: string | null; at: string } | null;
  consecutive_failures: number;
}

export interface DestinationHealth {
  status: DestinationStatus;
  consecutive_failures: number;
  disabled_at: string | null;
  reason: string | null;
  held_count: number;
  held_oldest_at: string | null;
}

export interface DeliverySummary {
  id: string;
  event_id: string;
  destination_id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  is_test: boolean;
  created_at: string;
  completed_at: string | null;
}

export interface Attempt {
  attempt_number: number;
  started_at: string;
  duration_ms: number;
  request: { method: string; url: string; headers: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body_excerpt: string | null } | null;
  error: { class: string | null; message: string } | null;
}

export interface Delivery extends DeliverySummary {
  attempts: Attempt[];
}

export interface EventType {
  name: string;
  description: string;
  schema: Record<string, unknown> | null;
  example: unknown;
}

export interface EventRecord {
  id: string;
  type: string;
  data: unknown;
  subject: string | null;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface TestResult {
  ok: boolean;
  delivery_id: string;
  status_code: number | null;
  duration_ms: number | null;
  response_excerpt: string | null;
  error: string | null;
}

export interface RenderPreview {
  ok: boolean;
  method: string;
  url: string | null;
  headers: Record<string, string>;
  body: string | null;
  data: unknown;
  error: { code: string; message: string } | null;
}

export interface Workspace {
  id: string;
  name: string;
  created_at?: string;
}

export interface ApiKey {
  id: string;
  name: string | null;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

export interface PortalSession {
  id: string;
  destination_ids: string[] | null;
  event_types: string[] | null;
  read_only: boolean;
  expires_at: string;
  created_at: string;
}
