// A destination's settings as its row holds them, both ways: the columns written for a create or PATCH, the settings read back.
import type { Destination } from '../db/schema';
import type { DestinationSettings } from '../domain/destination-settings';
import { clientCertificateExpiry, type ClientTls } from '../domain/client-tls';
import type { OAuthSettings } from '../domain/oauth';

/** The settings as column values; JSON columns are written as text, SQL NULL where nothing is set. */
export function settingsColumns(settings: DestinationSettings) {
  return {
    name: settings.name,
    url: settings.url,
    method: settings.method,
    headers: JSON.stringify(settings.headers),
    query_params: JSON.stringify(settings.query_params),
    body_template: settings.body_template === null || settings.body_template === undefined ? null : JSON.stringify(settings.body_template),
    timeout_seconds: settings.timeout_seconds,
    enabled: settings.enabled,
    trigger: settings.trigger,
    filter: settings.filter === null ? null : JSON.stringify(settings.filter),
    max_attempts: settings.max_attempts,
    failure_threshold: settings.failure_threshold,
    auto_recover: settings.auto_recover,
    trace_context: settings.trace_context,
    signature_scheme: settings.signature_scheme,
    signature_header: settings.signature_header,
    rate_limit_requests: settings.rate_limit?.requests ?? null,
    rate_limit_per_seconds: settings.rate_limit?.per_seconds ?? null,
    rate_limit_burst: settings.rate_limit?.burst ?? null,
    max_concurrent_requests: settings.max_concurrent_requests,
    ordering: settings.ordering,
    coalesce_seconds: settings.coalesce_seconds,
    // The password is sealed by the caller before settings reach the store.
    basic_auth_username: settings.basic_auth?.username ?? null,
    basic_auth_password_sealed: settings.basic_auth?.password ?? null,
    oauth_token_url: settings.oauth?.token_url ?? null,
    oauth_client_id: settings.oauth?.client_id ?? null,
    oauth_client_secret_sealed: settings.oauth?.client_secret ?? null,
    oauth_scope: settings.oauth?.scope ?? null,
    oauth_audience: settings.oauth?.audience ?? null,
    oauth_client_auth: settings.oauth?.client_auth ?? null,
    // The key is sealed by the caller, as the password is.
    client_certificate: settings.client_tls?.certificate ?? null,
    client_key_sealed: settings.client_tls?.private_key ?? null,
    client_ca: settings.client_tls?.ca ?? null,
    client_certificate_expires_at: clientCertificateExpiry(settings.client_tls),
  };
}

export function settingsOf(row: Destination, eventTypes: string[]): DestinationSettings {
  return {
    name: row.name,
    url: row.url,
    method: row.method,
    headers: row.headers,
    query_params: row.query_params,
    body_template: row.body_template ?? null,
    timeout_seconds: row.timeout_seconds,
    enabled: row.enabled,
    trigger: row.trigger,
    filter: row.filter,
    max_attempts: row.max_attempts,
    failure_threshold: row.failure_threshold,
    auto_recover: row.auto_recover,
    trace_context: row.trace_context,
    signature_scheme: row.signature_scheme,
    signature_header: row.signature_header,
    event_types: eventTypes,
    rate_limit:
      row.rate_limit_requests !== null && row.rate_limit_per_seconds !== null
        ? { requests: row.rate_limit_requests, per_seconds: row.rate_limit_per_seconds, burst: row.rate_limit_burst ?? 0 }
        : null,
    max_concurrent_requests: row.max_concurrent_requests,
    ordering: row.ordering,
    coalesce_seconds: row.coalesce_seconds,
    basic_auth:
      row.basic_auth_username !== null && row.basic_auth_password_sealed !== null
        ? { username: row.basic_auth_username, password: row.basic_auth_password_sealed }
        : null,
    oauth: oauthOf(row),
    client_tls: clientTlsOf(row),
  };
}

/** The client certificate of a destination row (its key sealed), or null; attempts read the same columns. */
export function clientTlsOf(row: Pick<Destination, 'client_certificate' | 'client_key_sealed' | 'client_ca'>): ClientTls | null {
  if (row.client_certificate === null || row.client_key_sealed === null) return null;
  return { certificate: row.client_certificate, private_key: row.client_key_sealed, ca: row.client_ca };
}

/** The OAuth client of a destination row (its secret sealed), or null; attempts read the same columns. */
export function oauthOf(
  row: Pick<Destination, `oauth_${'token_url' | 'client_id' | 'client_secret_sealed' | 'scope' | 'audience' | 'client_auth'}`>,
): OAuthSettings | null {
  if (row.oauth_token_url === null || row.oauth_client_id === null || row.oauth_client_secret_sealed === null) return null;
  return {
    token_url: row.oauth_token_url,
    client_id: row.oauth_client_id,
    client_secret: row.oauth_client_secret_sealed,
    scope: row.oauth_scope,
    audience: row.oauth_audience,
    client_auth: row.oauth_client_auth ?? 'basic',
  };
}
