// Destination routes: create (secret shown once), list, read, update and soft-delete.
import type { Config } from '../../config/config';
import { DESTINATION_STATUSES, isReenabling, type SignatureScheme } from '../../domain/destination';
import { generateSigningKey } from '../../domain/signing-key';
import { checkDestinationSettings, effectiveSignatureHeader, type DestinationSettings } from '../../domain/destination-settings';
import { assertMayCreateDestination, assertSubscriptionsAllowed } from '../../domain/portal-scope';
import { defaultMaxAttempts } from '../../domain/retry-policy';
import { sealSecret } from '../../domain/secret-box';
import { generateSecret } from '../../domain/sign';
import { assertPlainBasicAuth, mergeBasicAuth, sealBasicAuth } from '../../domain/basic-auth';
import { assertPlainOAuth, mergeOAuth, sealOAuth } from '../../domain/oauth';
import { assertPlainClientTls, checkClientTls, mergeClientTls, sealClientTls } from '../../domain/client-tls';
import { assertPlainHeaderValues, mergeHeaderValues, sealHeaderValues } from '../../domain/header-values';
import { notifyHealthChange } from '../../orchestration/health-signals';
import { deleteDestination, insertDestination, listDestinations, readDestination, updateDestination } from '../../store/destinations';
import { settingsOf } from '../../store/destination-columns';
import type { HealthChange } from '../../contracts/health';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import { decodeCursor, pageOf, pageSchema, paginationQuery } from '../http/pagination';
import type { RouteTable } from '../http/route';
import {
  MAX_ATTEMPTS_LIMIT,
  createDestinationSchema,
  destinationCreatedSchema,
  destinationParams,
  destinationSchema,
  toDestinationJson,
  updateDestinationSchema,
} from './schemas';
import { urlPolicy } from './url-policy';

const listQuery = paginationQuery.extend({
  status: z.enum(DESTINATION_STATUSES).optional().openapi({ description: 'Only destinations in this status.' }),
});

/** The configured schedule's attempts, within the cap a destination may ask for. */
function maxAttemptsByDefault(config: Config): number {
  return Math.min(MAX_ATTEMPTS_LIMIT, defaultMaxAttempts(config.delivery.retryScheduleMs));
}

/** The ed25519 scheme needs a key pair: made the first time a destination uses it, and kept if it switches away and back. */
function signingKeyFor(scheme: SignatureScheme, storedSealed: string | null, key: Buffer): { sealed: string; publicKey: string } | null {
  if (scheme !== 'standard_webhooks_ed25519' || storedSealed !== null) return null;
  const pair = generateSigningKey();
  return { sealed: sealSecret(pair.privateKey, key), publicKey: pair.publicKey };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function registerDestinationRoutes(routes: RouteTable, { config, db, temporal }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/destinations',
    operationId: 'createDestination',
    summary: 'Create a destination; the signing secret is in this response and never again',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'write',
    body: createDestinationSchema,
    responses: { 201: { description: 'Created', schema: destinationCreatedSchema } },
    errors: [409, 422],
    handler: async ({ body, workspaceId, scope, req }) => {
      assertMayCreateDestination(scope);
      assertSubscriptionsAllowed(scope, body.event_types);
      const { secret: givenSecret, ...fields } = body;
      assertPlainHeaderValues(fields.headers);
      assertPlainBasicAuth(fields.basic_auth, null);
      assertPlainOAuth(fields.oauth, null);
      assertPlainClientTls(fields.client_tls, null);
      const settings = checkDestinationSettings(
        { ...fields, max_attempts: fields.max_attempts ?? maxAttemptsByDefault(config) },
        {
          urlPolicy: await urlPolicy(config, req, fields.url),
          tokenUrlPolicy: fields.oauth ? await urlPolicy(config, req, fields.oauth.token_url) : null,
        },
      );
      settings.signature_header = effectiveSignatureHeader(settings.signature_scheme, settings.signature_header);
      // Header values are credentials (a customer's CRM token): sealed like the signing secret, shown masked.
      settings.headers = sealHeaderValues(settings.headers, config.encryptionKey);
      settings.basic_auth = sealBasicAuth(settings.basic_auth, config.encryptionKey);
      settings.oauth = sealOAuth(settings.oauth, config.encryptionKey);
      checkClientTls(settings.client_tls, config.encryptionKey, new Date());
      settings.client_tls = sealClientTls(settings.client_tls, config.encryptionKey);
      const secret = givenSecret ?? generateSecret();
      const row = await insertDestination(db, {
        workspaceId,
        settings,
        secretSealed: sealSecret(secret, config.encryptionKey),
        signingKey: signingKeyFor(settings.signature_scheme, null, config.encryptionKey),
        maxPerWorkspace: config.destinations.maxPerWorkspace,
      });
      return { status: 201, body: { ...toDestinationJson(row, settings.event_types), secret } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/destinations',
    operationId: 'listDestinations',
    summary: 'List destinations, oldest first, optionally by status',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'read',
    query: listQuery,
    responses: { 200: { description: 'A page of destinations', schema: pageSchema(destinationSchema, 'DestinationPage') } },
    handler: async ({ query, workspaceId, scope }) => {
      const after = decodeCursor(query.cursor);
      const rows = await listDestinations(db, workspaceId, {
        ...(after !== undefined ? { after } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(scope?.destinationIds ? { ids: scope.destinationIds } : {}),
        limit: query.limit + 1,
      });
      const page = pageOf(rows, query.limit, (entry) => entry.row.id);
      return { status: 200, body: { data: page.data.map((entry) => toDestinationJson(entry.row, entry.eventTypes)), next_cursor: page.next_cursor } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/destinations/:id',
    operationId: 'getDestination',
    summary: 'Read a destination',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'read',
    scopedBy: 'destination',
    params: destinationParams,
    responses: { 200: { description: 'The destination', schema: destinationSchema } },
    handler: async ({ params, workspaceId }) => {
      const { row, eventTypes } = await readDestination(db, workspaceId, params.id);
      return { status: 200, body: toDestinationJson(row, eventTypes) };
    },
  });

  routes.add({
    method: 'patch',
    path: '/v1/destinations/:id',
    operationId: 'updateDestination',
    summary: 'Change any writable field; {"enabled": true} also re-enables an auto-disabled destination',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'write',
    scopedBy: 'destination',
    params: destinationParams,
    body: updateDestinationSchema,
    responses: { 200: { description: 'The updated destination', schema: destinationSchema } },
    errors: [422],
    handler: async ({ params, body, workspaceId, scope, req }) => {
      if (body.event_types !== undefined) assertSubscriptionsAllowed(scope, body.event_types);
      assertPlainHeaderValues(body.headers);
      // Resolved before the row is locked: the policy may wait on DNS.
      const policy = body.url !== undefined ? await urlPolicy(config, req, body.url) : null;
      const tokenUrlPolicy = body.oauth ? await urlPolicy(config, req, body.oauth.token_url) : null;
      const { destination, outcome: change } = await updateDestination<HealthChange | null>(db, workspaceId, params.id, (current, currentTypes) => {
        const merged: DestinationSettings = { ...settingsOf(current, currentTypes), ...withoutUndefined(body) };
        // A header or password sent back masked (as every read shows it) keeps its stored value.
        if (body.headers !== undefined) merged.headers = mergeHeaderValues(body.headers, current.headers);
        if (body.basic_auth !== undefined) {
          const stored = settingsOf(current, currentTypes).basic_auth;
          assertPlainBasicAuth(body.basic_auth, stored);
          merged.basic_auth = mergeBasicAuth(body.basic_auth, stored);
        }
        if (body.oauth !== undefined) {
          const stored = settingsOf(current, currentTypes).oauth;
          assertPlainOAuth(body.oauth, stored);
          merged.oauth = mergeOAuth(body.oauth, stored);
        }
        if (body.client_tls !== undefined) {
          const stored = settingsOf(current, currentTypes).client_tls;
          assertPlainClientTls(body.client_tls, stored);
          merged.client_tls = mergeClientTls(body.client_tls, stored);
          // Checked only when it changes: a form that sends a since-expired certificate back unchanged can still rename the destination.
          if (JSON.stringify(merged.client_tls) !== JSON.stringify(stored)) checkClientTls(merged.client_tls, config.encryptionKey, new Date());
        }
        // Switching scheme without naming a header drops the old scheme's header rather than carrying it over.
        if (body.signature_scheme !== undefined && body.signature_header === undefined && body.signature_scheme !== current.signature_scheme) {
          merged.signature_header = null;
        }
        const settings = checkDestinationSettings(merged, { urlPolicy: policy, tokenUrlPolicy });
        settings.signature_header = effectiveSignatureHeader(settings.signature_scheme, settings.signature_header);
        settings.headers = sealHeaderValues(settings.headers, config.encryptionKey);
        settings.basic_auth = sealBasicAuth(settings.basic_auth, config.encryptionKey);
        settings.oauth = sealOAuth(settings.oauth, config.encryptionKey);
        settings.client_tls = sealClientTls(settings.client_tls, config.encryptionKey);
        const keyColumns = signingKeyFor(settings.signature_scheme, current.signing_key_sealed, config.encryptionKey);
        const signingKey = keyColumns ? { signing_key_sealed: keyColumns.sealed, public_key: keyColumns.publicKey } : {};
        // Re-enabling starts the failure streak over. Only on an actual transition, so a client that resends
        // enabled=true with every edit cannot keep resetting the streak.
        if (isReenabling(current, body.enabled)) {
          return { settings, extra: { ...signingKey, auto_disabled_at: null, auto_disabled_reason: null, consecutive_failures: 0 }, outcome: 'reenabled' };
        }
        return { settings, extra: signingKey, outcome: body.enabled === false && current.enabled ? 'disabled' : null };
      });
      // After the commit, so the health workflow's release sees the destination enabled.
      if (change) await notifyHealthChange(temporal, config.temporal.taskQueue, { destinationId: destination.row.id, workspaceId }, change);
      return { status: 200, body: toDestinationJson(destination.row, destination.eventTypes) };
    },
  });

  routes.add({
    method: 'delete',
    path: '/v1/destinations/:id',
    operationId: 'deleteDestination',
    summary: 'Delete a destination: no new deliveries from now on; its delivery history stays readable',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'write',
    scopedBy: 'destination',
    params: destinationParams,
    responses: { 204: { description: 'Deleted' } },
    handler: async ({ params, workspaceId }) => {
      const { cancelledHeld } = await deleteDestination(db, workspaceId, params.id);
      // Held workflows are waiting; the health workflow wakes them so they end as cancelled.
      if (cancelledHeld > 0) await notifyHealthChange(temporal, config.temporal.taskQueue, { destinationId: params.id, workspaceId }, 'deleted');
      return { status: 204 };
    },
  });
}
