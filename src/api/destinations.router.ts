// Destination routes: create (secret shown once), list, read, update, soft-delete and rotate the signing secret.
import type { Request } from 'express';
import type { Config } from '../config/config';
import { sealSecret } from '../domain/secret-box';
import { defaultMaxAttempts } from '../domain/retry-policy';
import { generateSecret } from '../domain/sign';
import { notifyHealthChange } from '../orchestration/health-signals';
import type { HealthChange } from '../workflows/health.contracts';
import { cancelHeldDeliveries } from './held-deliveries';
import type { ApiDeps } from './deps';
import {
  MAX_ATTEMPTS_LIMIT,
  createDestinationSchema,
  destinationCreatedSchema,
  destinationParams,
  destinationSchema,
  destinationStatuses,
  rotateSecretSchema,
  secretRotatedSchema,
  updateDestinationSchema,
} from './destination.schemas';
import { checkDestinationSettings, effectiveSignatureHeader, type DestinationSettings, type UrlPolicy } from './destination-rules';
import {
  findDestination,
  insertDestination,
  loadEventTypes,
  settingsOf,
  toDestinationJson,
  updateDestinationRow,
} from './destination-store';
import { z } from './openapi';
import { decodeCursor, pageOf, pageSchema, paginationQuery } from './pagination';
import type { RouteTable } from './route';

const listQuery = paginationQuery.extend({
  status: z.enum(destinationStatuses).optional().openapi({ description: 'Only destinations in this status.' }),
});

/**
 * Where this API can be reached: the configured public URL, the port on loopback, and the origin the
 * caller just used (which also covers a proxy's host name and a test server on an ephemeral port).
 */
function urlPolicy(config: Config, req: Request): UrlPolicy {
  const origins = new Set<string>();
  if (config.publicUrl) origins.add(new URL(config.publicUrl).origin);
  for (const port of new Set([config.port, req.socket.localPort].filter((p): p is number => typeof p === 'number' && p > 0))) {
    for (const host of ['localhost', '127.0.0.1', '[::1]']) origins.add(`http://${host}:${port}`);
  }
  const host = req.get('host');
  if (host) origins.add(`${req.protocol}://${host}`);
  return { allowHttp: config.destinations.allowHttp, allowPrivate: config.destinations.allowPrivate, selfOrigins: [...origins] };
}

/** The configured schedule's attempts, within the cap a destination may ask for. */
function maxAttemptsByDefault(config: Config): number {
  return Math.min(MAX_ATTEMPTS_LIMIT, defaultMaxAttempts(config.delivery.retryScheduleMs));
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function registerDestinationRoutes(routes: RouteTable, { config, db, temporal }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/destinations',
    summary: 'Create a destination; the signing secret is in this response and never again',
    tag: 'Destinations',
    access: 'workspace',
    body: createDestinationSchema,
    responses: { 201: { description: 'Created', schema: destinationCreatedSchema } },
    errors: [409, 422],
    handler: async ({ body, workspaceId, req }) => {
      const { secret: givenSecret, ...fields } = body;
      const settings = checkDestinationSettings(
        { ...fields, max_attempts: fields.max_attempts ?? maxAttemptsByDefault(config) },
        { urlPolicy: urlPolicy(config, req) },
      );
      settings.signature_header = effectiveSignatureHeader(settings.signature_scheme, settings.signature_header);
      const secret = givenSecret ?? generateSecret();
      const row = await insertDestination(db, {
        workspaceId,
        settings,
        secretSealed: sealSecret(secret, config.encryptionKey),
        maxPerWorkspace: config.destinations.maxPerWorkspace,
      });
      return { status: 201, body: { ...toDestinationJson(row, settings.event_types), secret } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/destinations',
    summary: 'List destinations, oldest first, optionally by status',
    tag: 'Destinations',
    access: 'workspace',
    query: listQuery,
    responses: { 200: { description: 'A page of destinations', schema: pageSchema(destinationSchema, 'DestinationPage') } },
    handler: async ({ query, workspaceId }) => {
      const after = decodeCursor(query.cursor);
      let select = db.selectFrom('destinations').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
      if (after !== undefined) select = select.where('id', '>', after);
      if (query.status === 'inactive') select = select.where('enabled', '=', false);
      if (query.status === 'auto_disabled') select = select.where('enabled', '=', true).where('auto_disabled_at', 'is not', null);
      if (query.status === 'active') select = select.where('enabled', '=', true).where('auto_disabled_at', 'is', null);
      const rows = await select.orderBy('id').limit(query.limit + 1).execute();
      const page = pageOf(rows, query.limit, (row) => row.id);
      const eventTypes = await loadEventTypes(db, workspaceId, page.data.map((row) => row.id));
      return {
        status: 200,
        body: { data: page.data.map((row) => toDestinationJson(row, eventTypes.get(row.id) ?? [])), next_cursor: page.next_cursor },
      };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/destinations/:id',
    summary: 'Read a destination',
    tag: 'Destinations',
    access: 'workspace',
    params: destinationParams,
    responses: { 200: { description: 'The destination', schema: destinationSchema } },
    handler: async ({ params, workspaceId }) => {
      const row = await findDestination(db, workspaceId, params.id);
      const eventTypes = await loadEventTypes(db, workspaceId, [row.id]);
      return { status: 200, body: toDestinationJson(row, eventTypes.get(row.id) ?? []) };
    },
  });

  routes.add({
    method: 'patch',
    path: '/v1/destinations/:id',
    summary: 'Change any writable field; {"enabled": true} also re-enables an auto-disabled destination',
    tag: 'Destinations',
    access: 'workspace',
    params: destinationParams,
    body: updateDestinationSchema,
    responses: { 200: { description: 'The updated destination', schema: destinationSchema } },
    errors: [422],
    handler: async ({ params, body, workspaceId, req }) => {
      let change: HealthChange | null = null;
      const row = await db.transaction().execute(async (trx) => {
        const current = await findDestination(trx, workspaceId, params.id, true);
        const currentTypes = (await loadEventTypes(trx, workspaceId, [current.id])).get(current.id) ?? [];
        const merged: DestinationSettings = { ...settingsOf(current, currentTypes), ...withoutUndefined(body) };
        // Switching scheme without naming a header drops the old scheme's header rather than carrying it over.
        if (body.signature_scheme !== undefined && body.signature_header === undefined && body.signature_scheme !== current.signature_scheme) {
          merged.signature_header = null;
        }
        const settings = checkDestinationSettings(merged, { urlPolicy: body.url !== undefined ? urlPolicy(config, req) : null });
        settings.signature_header = effectiveSignatureHeader(settings.signature_scheme, settings.signature_header);
        // A person turning it on is also the way back from auto-disable: the failure streak starts over. Only on an
        // actual transition, so a client that resends enabled=true with every edit cannot keep resetting the streak.
        const reenabling = body.enabled === true && (!current.enabled || current.auto_disabled_at !== null);
        const reenable = reenabling ? { auto_disabled_at: null, auto_disabled_reason: null, consecutive_failures: 0 } : {};
        if (reenabling) change = 'reenabled';
        else if (body.enabled === false && current.enabled) change = 'disabled';
        return updateDestinationRow(trx, workspaceId, current.id, settings, reenable);
      });
      // After the commit, so the health workflow's release sees the destination enabled.
      if (change) await notifyHealthChange(temporal, config.temporal.taskQueue, { destinationId: row.id, workspaceId }, change);
      const eventTypes = await loadEventTypes(db, workspaceId, [row.id]);
      return { status: 200, body: toDestinationJson(row, eventTypes.get(row.id) ?? []) };
    },
  });

  routes.add({
    method: 'delete',
    path: '/v1/destinations/:id',
    summary: 'Delete a destination: no new deliveries from now on; its delivery history stays readable',
    tag: 'Destinations',
    access: 'workspace',
    params: destinationParams,
    responses: { 204: { description: 'Deleted' } },
    handler: async ({ params, workspaceId }) => {
      const cancelledHeld = await db.transaction().execute(async (trx) => {
        const current = await findDestination(trx, workspaceId, params.id, true);
        const now = new Date();
        await trx.updateTable('destinations').set({ deleted_at: now, updated_at: now }).where('id', '=', current.id).execute();
        // Without subscriptions no event can match it, whatever reads the table next.
        await trx.deleteFrom('subscriptions').where('workspace_id', '=', workspaceId).where('destination_id', '=', current.id).execute();
        return cancelHeldDeliveries(trx, workspaceId, current.id, 'destination deleted', now);
      });
      // Held workflows are waiting; the health workflow wakes them so they end as cancelled.
      if (cancelledHeld > 0) await notifyHealthChange(temporal, config.temporal.taskQueue, { destinationId: params.id, workspaceId }, 'deleted');
      return { status: 204 };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/destinations/:id/rotate-secret',
    summary: 'Issue a new signing secret (shown once); the old one keeps signing for a grace period',
    tag: 'Destinations',
    access: 'workspace',
    params: destinationParams,
    body: rotateSecretSchema,
    responses: { 200: { description: 'The new secret', schema: secretRotatedSchema } },
    handler: async ({ params, body, workspaceId }) => {
      const secret = body.secret ?? generateSecret();
      const graceMs = body.grace_period_seconds !== undefined ? body.grace_period_seconds * 1000 : config.delivery.secretRotationGraceMs;
      const row = await db.transaction().execute(async (trx) => {
        // Locked so two rotations in flight cannot both keep the same "previous" and lose a secret someone was shown.
        const current = await findDestination(trx, workspaceId, params.id, true);
        const now = new Date();
        return trx
          .updateTable('destinations')
          .set({
            secret_sealed: sealSecret(secret, config.encryptionKey),
            previous_secret_sealed: graceMs > 0 ? current.secret_sealed : null,
            previous_secret_expires_at: graceMs > 0 ? new Date(now.getTime() + graceMs) : null,
            updated_at: now,
          })
          .where('id', '=', current.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      const eventTypes = await loadEventTypes(db, workspaceId, [row.id]);
      return {
        status: 200,
        body: {
          ...toDestinationJson(row, eventTypes.get(row.id) ?? []),
          secret,
          previous_secret_expires_at: row.previous_secret_expires_at?.toISOString() ?? null,
        },
      };
    },
  });
}

