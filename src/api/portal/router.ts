// Portal sessions: a workspace opens a short-lived, scoped, revocable view for its customer, and says who may embed it.
import { NotFoundError, RuleViolationError } from '../../domain/errors';
import { frameAncestorProblem } from '../../domain/frame-ancestors';
import { newId } from '../../domain/ids';
import { portalSigningKey, signPortalToken } from '../../domain/portal-token';
import { findDestination } from '../../store/destinations';
import { insertPortalSession, listLivePortalSessions, readPortalSession, revokePortalSession } from '../../store/portal-sessions';
import { portalFrameAncestors, setPortalFrameAncestors } from '../../store/workspaces';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';
import { publicBaseUrl } from './public-url';
import {
  createPortalSessionSchema,
  portalSessionCreatedSchema,
  portalSessionParams,
  portalSessionSchema,
  portalSettingsSchema,
  toPortalSessionJson,
} from './schemas';

export function registerPortalRoutes(routes: RouteTable, { db, config }: ApiDeps): void {
  const signingKey = portalSigningKey(config.encryptionKey);

  routes.add({
    method: 'post',
    path: '/v1/portal-sessions',
    operationId: 'createPortalSession',
    summary: 'Open a portal session for a customer: a short-lived URL, optionally narrowed to destinations or event types, or read-only',
    tag: 'Portal',
    access: 'workspace',
    body: createPortalSessionSchema,
    responses: { 201: { description: 'The session, its token and the URL to open', schema: portalSessionCreatedSchema } },
    errors: [404],
    handler: async ({ body, workspaceId, req }) => {
      // Every named destination must be this workspace's: a typo would otherwise open an empty portal.
      for (const id of body.destination_ids ?? []) await findDestination(db, workspaceId, id);
      const expiresAt = new Date(Date.now() + body.expires_in_seconds * 1000);
      const row = await insertPortalSession(db, workspaceId, {
        id: newId('ps'),
        destinationIds: body.destination_ids ? [...new Set(body.destination_ids)] : null,
        eventTypes: body.event_types ? [...new Set(body.event_types)] : null,
        readOnly: body.read_only,
        expiresAt,
      });
      const token = await signPortalToken({ sessionId: row.id, workspaceId, expiresAt }, signingKey);
      const url = `${publicBaseUrl(config, req)}/console/portal?token=${encodeURIComponent(token)}`;
      return { status: 201, body: { ...toPortalSessionJson(row), token, url } };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/portal-sessions',
    operationId: 'listPortalSessions',
    summary: 'List the portal sessions still open (neither expired nor revoked), newest first; never their tokens',
    tag: 'Portal',
    access: 'workspace',
    responses: { 200: { description: 'Open sessions', schema: z.object({ data: z.array(portalSessionSchema) }) } },
    handler: async ({ workspaceId }) => ({
      status: 200,
      body: { data: (await listLivePortalSessions(db, workspaceId, new Date())).map(toPortalSessionJson) },
    }),
  });

  routes.add({
    method: 'get',
    path: '/v1/portal-sessions/current',
    operationId: 'getCurrentPortalSession',
    summary: 'The calling portal session itself: its scope, read-only flag and expiry (what the portal shows and hides)',
    tag: 'Portal',
    access: 'workspace',
    portal: 'read',
    responses: { 200: { description: 'The session', schema: portalSessionSchema } },
    errors: [404],
    handler: async ({ workspaceId, scope }) => {
      // A workspace key is not a session: there is nothing to describe.
      if (!scope) throw new NotFoundError('Portal session');
      return { status: 200, body: toPortalSessionJson(await readPortalSession(db, workspaceId, scope.sessionId)) };
    },
  });

  routes.add({
    method: 'delete',
    path: '/v1/portal-sessions/:id',
    operationId: 'revokePortalSession',
    summary: 'Revoke a portal session: its very next request is refused',
    tag: 'Portal',
    access: 'workspace',
    params: portalSessionParams,
    responses: { 204: { description: 'Revoked' } },
    handler: async ({ params, workspaceId }) => {
      await revokePortalSession(db, workspaceId, params.id, new Date());
      return { status: 204 };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/portal-settings',
    operationId: 'getPortalSettings',
    summary: 'Where the portal may be embedded (the origins of its CSP frame-ancestors)',
    tag: 'Portal',
    access: 'workspace',
    responses: { 200: { description: 'The settings', schema: portalSettingsSchema } },
    handler: async ({ workspaceId }) => ({ status: 200, body: { frame_ancestors: await portalFrameAncestors(db, workspaceId) } }),
  });

  routes.add({
    method: 'put',
    path: '/v1/portal-settings',
    operationId: 'updatePortalSettings',
    summary: 'Replace the origins allowed to embed the portal in an iframe',
    tag: 'Portal',
    access: 'workspace',
    body: portalSettingsSchema.strict(),
    responses: { 200: { description: 'The new settings', schema: portalSettingsSchema } },
    errors: [422],
    handler: async ({ body, workspaceId }) => {
      const details = body.frame_ancestors.flatMap((source, index) => {
        const problem = frameAncestorProblem(source);
        return problem === null ? [] : [{ path: `body.frame_ancestors.${index}`, message: problem }];
      });
      if (details.length > 0) throw new RuleViolationError('invalid_frame_ancestor', `Not an origin: ${details[0]!.message}`, details);
      const origins = await setPortalFrameAncestors(db, workspaceId, [...new Set(body.frame_ancestors)]);
      return { status: 200, body: { frame_ancestors: origins } };
    },
  });
}
